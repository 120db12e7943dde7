/** Describes the problems of a graph for a person: each with where it was written and what to do. */
import type { GraphEdge } from '../graph.js';
import { relativeTo } from '../paths.js';
import { planFix } from '../repoint.js';
import type { ProjectGraph } from './project-graph.js';

function describeEdge(project: ProjectGraph, edge: GraphEdge): string {
  const where = `${relativeTo(project.facts.root, edge.ref.at.file)}:${edge.ref.at.line}`;
  if (edge.swap) {
    return `${where}: ${edge.from} depends on swappable(${edge.swap.token}), which the settings resolve to ${edge.swap.app}.${edge.swap.className}, whose app's first migration is ${edge.to}`;
  }
  return `${where}: ${edge.from} depends on ${edge.to}`;
}

/** The report of every problem, one block each. */
export function describeProblems(project: ProjectGraph): string[] {
  const lines: string[] = [];
  const plan = project.problems.some(p => p.code === 'circular_dependency') ? planFix(project.graph, project.facts) : undefined;
  for (const problem of project.problems) {
    lines.push(problem.format(project.facts.root).replace(/^.*?: (circular dependency)/, '$1'));
    if (problem.cycle) {
      for (const edge of problem.cycle) lines.push(`    ${describeEdge(project, edge)}`);
      const mend = plan?.repoints.filter(r => problem.cycle!.some(e => e.from === r.migration));
      if (mend && mend.length > 0) {
        lines.push(`    chat-migrate fix can mend it: it repoints ${mend.map(r => r.migration).join(', ')} from 0002_initial to 0001_initial.`);
      } else {
        const why = plan?.unmendable.find(u => problem.cycle!.some(e => u.cycle.includes(e.from)));
        if (why) lines.push(`    chat-migrate fix cannot mend it: ${why.reason}.`);
      }
    }
  }
  return lines;
}

/** `realtime_chat_messaging: 2, myapp: 1` */
export function describeApps(project: ProjectGraph): string {
  return project.facts.apps.map(app => `${app.label}: ${project.graph.appNodes(app.label).length}`).join(', ');
}
