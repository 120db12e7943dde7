import { readFileSync } from 'node:fs';
function agg(file) {
  const snap = JSON.parse(readFileSync(file, 'utf8'));
  const f = snap.snapshot.meta.node_fields; const types = snap.snapshot.meta.node_types[0];
  const nf = f.length; const nodes = snap.nodes; const strings = snap.strings;
  const ti = f.indexOf('type'), ni = f.indexOf('name'), si = f.indexOf('self_size');
  const m = new Map();
  for (let i = 0; i < nodes.length; i += nf) {
    const type = types[nodes[i + ti]]; let name = strings[nodes[i + ni]];
    if (type === 'string' || type === 'concatenated string' || type === 'sliced string') name = '(string)';
    if (type === 'code') name = '(code)';
    if (name.length > 60) name = name.slice(0, 60);
    const k = `${type}:${name}`;
    const e = m.get(k) ?? [0, 0]; e[0]++; e[1] += nodes[i + si]; m.set(k, e);
  }
  return m;
}
const [a, b, n] = [agg(process.argv[2]), agg(process.argv[3]), Number(process.argv[4])];
const rows = [];
for (const [k, [c, s]] of b) { const [c0, s0] = a.get(k) ?? [0, 0]; rows.push([k, (c - c0) / n, (s - s0) / n]); }
rows.sort((x, y) => y[2] - x[2]);
let tot = 0; for (const r of rows) tot += r[2];
console.log('total bytes/socket', tot.toFixed(0));
for (const r of rows.slice(0, 45)) console.log(r[2].toFixed(0).padStart(7), r[1].toFixed(2).padStart(7), r[0]);
