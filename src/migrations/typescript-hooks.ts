/**
 * Module hooks (registered with `node:module`'s `register`) that let `chat-migrate` import a
 * project's TypeScript config, entities and migrations with the package's own TypeScript
 * compiler, whatever TypeScript the project installed (TypeScript 7 has no JavaScript API, and
 * ts-node breaks on it). Each file is transpiled on its own, without type checking, with the
 * project's `tsconfig.json` options (decorators and their metadata included).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTypeScript } from './load-typescript.js';

type TypeScript = typeof import('typescript');

let ts: TypeScript | undefined;
let options: import('typescript').CompilerOptions = {};

const TS_FILE = /\.[cm]?ts$/;
const JS_IMPORT = /\.([cm]?)js$/;

/** Loads the compiler (with the tool's code cache when there is one) and reads the project's compiler options from `tsconfig`. */
export async function initialize(data: { tsconfig?: string; cacheDir?: string }): Promise<void> {
  const loaded = await loadTypeScript(data.cacheDir);
  ts = loaded.ts;
  if (data.tsconfig) {
    const read = ts.readConfigFile(data.tsconfig, path => readFileSync(path, 'utf8'));
    // Only the options: listing the project's files (what `include` matches) is work nobody here needs.
    if (!read.error) options = ts.parseJsonConfigFileContent(read.config, { ...ts.sys, readDirectory: () => [] }, dirname(data.tsconfig)).options;
  }
  loaded.saveCodeCache();
  // ES modules for Node, whatever the project compiles to; everything else as the project says.
  options = {
    ...options,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    noEmit: false,
    declaration: false,
    sourceMap: false,
    inlineSourceMap: false,
    isolatedModules: true,
  };
}

type Resolved = { url: string; format?: string; shortCircuit?: boolean };
type NextResolve = (specifier: string, context: { parentURL?: string }) => Promise<Resolved>;
type Loaded = { format: string; source?: string | Buffer; shortCircuit?: boolean };
type NextLoad = (url: string, context: unknown) => Promise<Loaded>;

/** `./models.js` is `./models.ts` in a TypeScript project compiled for NodeNext. */
export async function resolve(specifier: string, context: { parentURL?: string }, nextResolve: NextResolve): Promise<Resolved> {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const parent = context.parentURL;
    if (parent?.startsWith('file:') && (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('file:')) && JS_IMPORT.test(specifier)) {
      const candidate = new URL(specifier.replace(JS_IMPORT, '.$1ts'), parent);
      if (existsSync(fileURLToPath(candidate))) return { url: candidate.href, shortCircuit: true };
    }
    throw error;
  }
}

/** A TypeScript file of the project, transpiled; a syntax error is reported as TypeScript writes it (file(line,column): error TS…). */
export async function load(url: string, context: unknown, nextLoad: NextLoad): Promise<Loaded> {
  if (!url.startsWith('file:') || !TS_FILE.test(new URL(url).pathname) || url.includes('/node_modules/')) return nextLoad(url, context);
  const fileName = fileURLToPath(url);
  const output = ts!.transpileModule(readFileSync(fileName, 'utf8'), { fileName, compilerOptions: options, reportDiagnostics: true });
  // The file's own errors (its syntax): option diagnostics have no file and are not the project's concern here.
  const errors = (output.diagnostics ?? []).filter(d => d.category === ts!.DiagnosticCategory.Error && d.file);
  if (errors.length > 0) {
    throw new SyntaxError(
      errors
        .map(d => {
          const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
          return `${fileName}${at ? `(${at.line + 1},${at.character + 1})` : ''}: error TS${d.code}: ${ts!.flattenDiagnosticMessageText(d.messageText, '\n')}`;
        })
        .join('\n'),
    );
  }
  return { format: 'module', source: output.outputText, shortCircuit: true };
}
