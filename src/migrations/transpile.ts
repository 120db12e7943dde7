/**
 * How the tool transpiles a project's TypeScript (its config, entities, settings, migrations):
 * each file on its own, without type checking, with the project's `tsconfig.json` options
 * (decorators and their metadata included) and ES modules for Node. One home for the options and
 * the transpiling, shared by the module hooks and the worker that transpiles a config ahead.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';

type TypeScript = typeof import('typescript');
type CompilerOptions = import('typescript').CompilerOptions;

/** A project TypeScript file: `.ts`, `.mts` or `.cts`. */
export const TS_FILE = /\.[cm]?ts$/;
/** A relative import written for NodeNext (`./models.js` for `./models.ts`). */
const JS_IMPORT = /\.([cm]?)js$/;

/** The nearest `tsconfig.json` above a file, as TypeScript would find it. */
export function tsconfigOf(file: string): string | undefined {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'tsconfig.json'))) return join(dir, 'tsconfig.json');
    if (dirname(dir) === dir) return undefined;
  }
}

/** The project's compiler options (from `tsconfig`, when there is one), made to emit ES modules for Node. */
export function compilerOptionsOf(ts: TypeScript, tsconfig: string | undefined): CompilerOptions {
  let options: CompilerOptions = {};
  if (tsconfig) {
    const read = ts.readConfigFile(tsconfig, path => readFileSync(path, 'utf8'));
    // Only the options: listing the project's files (what `include` matches) is work nobody here needs.
    if (!read.error) options = ts.parseJsonConfigFileContent(read.config, { ...ts.sys, readDirectory: () => [] }, dirname(tsconfig)).options;
  }
  // ES modules for Node, whatever the project compiles to; everything else as the project says.
  return {
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

/** A file transpiled: its JavaScript, or its syntax errors as TypeScript writes them (file(line,column): error TS…). */
export type Transpiled = { readonly output: string } | { readonly errors: string };

export function transpile(ts: TypeScript, fileName: string, source: string, options: CompilerOptions): Transpiled {
  const output = ts.transpileModule(source, { fileName, compilerOptions: options, reportDiagnostics: true });
  // The file's own errors (its syntax): option diagnostics have no file and are not the project's concern here.
  const errors = (output.diagnostics ?? []).filter(d => d.category === ts.DiagnosticCategory.Error && d.file);
  if (errors.length === 0) return { output: output.outputText };
  return {
    errors: errors
      .map(d => {
        const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
        return `${fileName}${at ? `(${at.line + 1},${at.character + 1})` : ''}: error TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      })
      .join('\n'),
  };
}

/**
 * The TypeScript file a NodeNext import of a missing JavaScript file means: `x.js` is `x.ts`
 * (`.mjs` → `.mts`, `.cjs` → `.cts`), when that exists.
 */
export function typeScriptTwin(path: string): string | undefined {
  if (!JS_IMPORT.test(path) || existsSync(path)) return undefined;
  const twin = path.replace(JS_IMPORT, '.$1ts');
  return existsSync(twin) ? twin : undefined;
}

/** The local TypeScript file a relative import names, as the module hooks resolve it: the file itself, or its `typeScriptTwin`. */
export function localTypeScriptImport(specifier: string, fromFile: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const target = join(dirname(fromFile), specifier);
  if (TS_FILE.test(target)) return existsSync(target) ? target : undefined;
  return typeScriptTwin(target);
}

/** A file transpiled ahead of its import: the source it was made from, and its JavaScript. */
export interface PreparedFile {
  readonly file: string;
  readonly source: string;
  readonly output: string;
}

/**
 * `entry` and every local TypeScript file it imports, directly or not (static imports, re-exports
 * and `import()` of a literal), transpiled. Files under `node_modules` are the packages' own, and
 * a file with errors is left out (its import reports them).
 */
export function transpileLocalGraph(ts: TypeScript, entry: string, options: CompilerOptions): PreparedFile[] {
  const prepared: PreparedFile[] = [];
  const seen = new Set<string>([entry]);
  const queue = [entry];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    let source: string;
    try {
      source = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const result = transpile(ts, file, source, options);
    if ('output' in result) prepared.push({ file, source, output: result.output });
    for (const imported of ts.preProcessFile(source, true, true).importedFiles) {
      const next = localTypeScriptImport(imported.fileName, file);
      if (next && !next.includes(`${sep}node_modules${sep}`) && !seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return prepared;
}
