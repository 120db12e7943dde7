import { Worker } from 'node:worker_threads';
const dir = '/tmp/tscache-test';
const { rmSync, mkdirSync } = await import('node:fs');
rmSync(dir, { recursive: true, force: true }); mkdirSync(dir);
const code = `
const { workerData, parentPort } = await import('node:worker_threads');
const t = performance.now();
const { loadTypeScript } = await import('file:///work/main/dist/src/migrations/load-typescript.js');
const l = await loadTypeScript(workerData.dir);
const t1 = performance.now();
l.ts.transpileModule('@E() class A { @P() x!: string }', { compilerOptions: { experimentalDecorators: true, emitDecoratorMetadata: true } });
const t2 = performance.now();
if (workerData.save) l.saveCodeCache();
parentPort.postMessage([t1 - t, t2 - t1, performance.now() - t2]);
`;
const run = (save) => new Promise(r => { const w = new Worker(new URL('data:text/javascript,' + encodeURIComponent(code)), { workerData: { dir, save } }); w.once('message', r); });
console.log('no cache (load, transpile, save)', (await run(true)).map(x => x.toFixed(0)));
console.log('with cache', (await run(false)).map(x => x.toFixed(0)));
console.log('with cache', (await run(false)).map(x => x.toFixed(0)));
