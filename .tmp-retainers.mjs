import { readFileSync } from 'node:fs';
const load = f => JSON.parse(readFileSync(f, 'utf8'));
const A = load(process.argv[2]), B = load(process.argv[3]);
const wanted = process.argv.slice(4);
const meta = B.snapshot.meta; const nf = meta.node_fields.length; const ef = meta.edge_fields.length;
const types = meta.node_types[0]; const etypes = meta.edge_types[0];
const idsA = new Set(); for (let i = 0; i < A.nodes.length; i += A.snapshot.meta.node_fields.length) idsA.add(A.nodes[i + 2]);
const N = B.nodes, E = B.edges, S = B.strings;
const nameOf = i => { const t = types[N[i]]; let n = S[N[i + 1]]; if (t.includes('string')) n = '"' + n.slice(0, 40) + '"'; return `${t}:${n.slice(0, 70)}`; };
// reverse edges for new nodes of wanted kinds
const targets = new Map();
for (let i = 0; i < N.length; i += nf) {
  if (idsA.has(N[i + 2])) continue;
  const t = types[N[i]]; let n = S[N[i + 1]]; if (t.includes('string')) n = '(string)'; if (t === 'code') n = '(code)';
  if (wanted.includes(`${t}:${n}`)) targets.set(i, []);
}
let e = 0;
for (let i = 0; i < N.length; i += nf) {
  const count = N[i + 4];
  for (let k = 0; k < count; k++, e += ef) {
    const to = E[e + 2];
    if (targets.has(to)) {
      const et = etypes[E[e]]; const en = et === 'element' || et === 'hidden' ? '[]' : S[E[e + 1]];
      targets.get(to).push(`${nameOf(i)} .${en}`);
    }
  }
}
const agg = new Map();
for (const [i, rs] of targets) for (const r of new Set(rs)) agg.set(r, (agg.get(r) ?? 0) + 1);
console.log('targets', targets.size);
for (const [k, v] of [...agg].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(String(v).padStart(7), k);
// sample strings
if (wanted.some(w => w.includes('string'))) { const sample = [...targets.keys()].slice(0, 3000).map(i => S[N[i+1]].slice(0, 60)); const c = new Map(); for (const s of sample) { const k = s.replace(/[0-9a-f-]{36}/g, 'UUID').replace(/\d+/g, 'N'); c.set(k, (c.get(k) ?? 0) + 1); } for (const [k, v] of [...c].sort((a,b)=>b[1]-a[1]).slice(0, 20)) console.log('  sample', v, JSON.stringify(k)); }
