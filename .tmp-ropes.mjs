import { readFileSync } from 'node:fs';
const B = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const meta = B.snapshot.meta; const nf = meta.node_fields.length; const ef = meta.edge_fields.length;
const types = meta.node_types[0]; const etypes = meta.edge_types[0];
const N = B.nodes, E = B.edges, S = B.strings;
const firstEdge = new Int32Array(N.length / nf + 1); let e = 0;
for (let i = 0, j = 0; i < N.length; i += nf, j++) { firstEdge[j] = e; e += N[i + 4] * ef; }
const children = i => { const j = i / nf; const out = []; for (let k = firstEdge[j]; k < firstEdge[j] + N[i + 4] * ef; k += ef) out.push([etypes[E[k]], E[k + 1], E[k + 2]]); return out; };
const text = (i, depth = 0) => { const t = types[N[i]]; if (t === 'concatenated string') { const c = children(i); const f = c.find(x => S[x[1]] === 'first'), s = c.find(x => S[x[1]] === 'second'); return depth > 50 ? '…' : text(f[2], depth + 1) + text(s[2], depth + 1); } if (t === 'sliced string') { return S[N[i + 1]]; } return S[N[i + 1]]; };
const retained = new Map();
for (let i = 0; i < N.length; i += nf) for (const [et, en, to] of children(i)) if (types[N[to]] === 'concatenated string') { if (!retained.has(to)) retained.set(to, []); retained.get(to).push(`${types[N[i]]}:${S[N[i + 1]].slice(0, 40)}.${et === 'element' || et === 'hidden' ? '[]' : S[en]}`); }
const roots = new Map();
for (const [to, rs] of retained) if (!rs.some(r => r.startsWith('concatenated string'))) { const k = rs[0] + ' = ' + text(to).slice(0, 120).replace(/[0-9a-f-]{36}/g, 'UUID'); roots.set(k, (roots.get(k) ?? 0) + 1); }
for (const [k, v] of [...roots].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(String(v).padStart(6), k);
