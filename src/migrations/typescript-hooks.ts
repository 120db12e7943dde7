/**
 * Module hooks (registered with `node:module`'s `register`) that let `chat-migrate` import a
 * project's TypeScript config, entities and migrations with the package's own TypeScript
 * compiler, whatever TypeScript the project installed (TypeScript 7 has no JavaScript API, and
 * ts-node breaks on it). Each file is transpiled on its own (see `transpile.ts`). The files of a
 * config come transpiled already, from the worker that did it while the main thread loaded the
 * package (`typescript-warmup.ts`): the compiler is loaded here only for a file it did not
 * foresee, or one that changed since.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadTypeScript } from './load-typescript.js';
import { compilerOptionsOf, transpile, TS_FILE, typeScriptTwin, type PreparedFile } from './transpile.js';

type TypeScript = typeof import('typescript');

/** What `register` hands over: where the project's options are, where the code cache is, and what was transpiled ahead. */
interface HookData {
  readonly tsconfig?: string;
  readonly cacheDir?: string;
  readonly prepared?: readonly PreparedFile[];
}

let data: HookData = {};
let prepared = new Map<string, PreparedFile>();
let compiler: Promise<{ ts: TypeScript; options: import('typescript').CompilerOptions }> | undefined;

export function initialize(given: HookData): void {
  data = given;
  prepared = new Map((given.prepared ?? []).map(file => [file.file, file]));
}

/** The compiler (with the tool's code cache when there is one) and the project's options, loaded once, when first needed. */
function loadCompiler(): Promise<{ ts: TypeScript; options: import('typescript').CompilerOptions }> {
  compiler ??= (async () => {
    const loaded = await loadTypeScript(data.cacheDir);
    const options = compilerOptionsOf(loaded.ts, data.tsconfig);
    loaded.saveCodeCache();
    return { ts: loaded.ts, options };
  })();
  return compiler;
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
    if (parent?.startsWith('file:') && (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('file:'))) {
      const twin = typeScriptTwin(fileURLToPath(new URL(specifier, parent)));
      if (twin) return { url: pathToFileURL(twin).href, shortCircuit: true };
    }
    throw error;
  }
}

/** A TypeScript file of the project, transpiled; a syntax error is reported as TypeScript writes it (file(line,column): error TS…). */
export async function load(url: string, context: unknown, nextLoad: NextLoad): Promise<Loaded> {
  if (!url.startsWith('file:') || !TS_FILE.test(new URL(url).pathname) || url.includes('/node_modules/')) return nextLoad(url, context);
  const fileName = fileURLToPath(url);
  const source = readFileSync(fileName, 'utf8');
  const ahead = prepared.get(fileName);
  if (ahead && ahead.source === source) return { format: 'module', source: ahead.output, shortCircuit: true };
  const { ts, options } = await loadCompiler();
  const result = transpile(ts, fileName, source, options);
  if ('errors' in result) throw new SyntaxError(result.errors);
  return { format: 'module', source: result.output, shortCircuit: true };
}
