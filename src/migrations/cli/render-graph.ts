/** The migration graph as text (run order, dependencies under each) and as Graphviz DOT. */
import type { GraphEdge } from '../graph.js';
import type { ProjectGraph } from './project-graph.js';

function order(project: ProjectGraph): string[] {
  const cyclic = project.problems.some(p => p.code === 'circular_dependency');
  return cyclic ? project.graph.nodes().map(n => n.key) : project.graph.topologicalOrder();
}

function edgeLabel(edge: GraphEdge): string {
  return edge.swap ? `swappable(${edge.swap.token}) = ${edge.swap.app}.${edge.swap.className}` : '';
}

/** One line per migration in run order, its dependencies indented below it. */
export function renderText(project: ProjectGraph): string {
  const lines: string[] = [];
  for (const key of order(project)) {
    lines.push(key);
    const deps = [...project.graph.dependenciesOf(key)].sort((a, b) => (a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
    for (const edge of deps) lines.push(`    <- ${edge.to}${edge.swap ? `  (${edgeLabel(edge)})` : ''}`);
  }
  return lines.join('\n');
}

const quote = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** A DOT digraph: one cluster per app, an edge from each migration to each dependency. */
export function renderDot(project: ProjectGraph): string {
  const lines = ['digraph migrations {', '  rankdir=LR;', '  node [shape=box, fontname="monospace"];'];
  for (const app of project.facts.apps) {
    const nodes = project.graph.appNodes(app.label);
    if (nodes.length === 0) continue;
    lines.push(`  subgraph ${quote(`cluster_${app.label}`)} {`, `    label=${quote(app.label)};`);
    for (const node of nodes) lines.push(`    ${quote(node.key)} [label=${quote(node.name)}];`);
    lines.push('  }');
  }
  for (const node of project.graph.nodes()) {
    for (const edge of project.graph.dependenciesOf(node.key)) {
      lines.push(`  ${quote(edge.from)} -> ${quote(edge.to)}${edge.swap ? ` [label=${quote(edgeLabel(edge))}, style=dashed]` : ''};`);
    }
  }
  lines.push('}');
  return lines.join('\n');
}
