/** Describes the problems of a graph for a person: each with where it was written and what to do. */
import type { GraphEdge } from '../graph.js';
import { relativeTo } from '../paths.js';
import { planFix, verdictOn, type FixPlan } from '../repoint.js';
import { PACKAGE_FIRST_NAME, PACKAGE_SECOND_NAME } from '../types.js';
import type { ProjectGraph } from './project-graph.js';

function describeEdge(project: ProjectGraph, edge: GraphEdge): string {
  const where = `${relativeTo(project.facts.root, edge.ref.at.file)}:${edge.ref.at.line}`;
  if (edge.swap) {
    return `${where}: ${edge.from} depends on swappable(${edge.swap.token}), which the settings resolve to ${edge.swap.app}.${edge.swap.className}, whose app's first migration is ${edge.to}`;
  }
  return `${where}: ${edge.from} depends on ${edge.to}`;
}

/** The report of every problem, one block each; with cycles, what `fix` will do about each, and which files it will change. */
export function describeProblems(project: ProjectGraph): string[] {
  const lines: string[] = [];
  const plan = project.problems.some(p => p.code === 'circular_dependency') ? planFix(project.graph, project.facts, project.cycles) : undefined;
  let left = 0;
  for (const problem of project.problems) {
    lines.push(problem.format(project.facts.root).replace(/^.*?: (circular dependency)/, '$1'));
    if (!problem.cycle || !plan) continue;
    for (const edge of problem.cycle) lines.push(`    ${describeEdge(project, edge)}`);
    const verdict = verdictOn(plan, project.graph, problem.cycle);
    if (!('mendedBy' in verdict)) left++;
    lines.push(
      'mendedBy' in verdict
        ? `    chat-migrate fix can mend it: it repoints ${verdict.mendedBy} from ${PACKAGE_SECOND_NAME} to ${PACKAGE_FIRST_NAME}.`
        : `    chat-migrate fix cannot mend it: ${verdict.reason}.`,
    );
  }
  if (plan) lines.push(describeFixPlan(project, plan, left));
  return lines;
}

/** `describeProblems` as printed under a heading: each problem's first line indented, its details already are. */
export function problemLines(project: ProjectGraph): string[] {
  return describeProblems(project).map(line => (line.startsWith('    ') ? line : `  ${line}`));
}

/** One line: the files `fix` will change, and how many of the cycles reported above it will leave. */
export function describeFixPlan(project: ProjectGraph, plan: FixPlan, left: number): string {
  const files = plan.files.map(file => relativeTo(project.facts.root, file));
  const changes = files.length > 0 ? `chat-migrate fix will change ${files.join(', ')}` : 'chat-migrate fix will change no file';
  return left > 0 ? `${changes} and leave ${left} cycle${left > 1 ? 's' : ''} to break by hand.` : `${changes}.`;
}

/** Apps listed one by one up to this many; beyond, a summary (a check at 2,000 apps is not a page of counts). */
const APPS_LISTED = 8;

/** `40,000`: a count with thousands separated (without toLocaleString, whose locale data costs a first call about 10 ms). */
function thousands(count: number): string {
  return String(count).replace(/\B(?=(\d{3})+$)/g, ',');
}

/** `realtime_chat_messaging: 2, myapp: 1`, or past a few apps: `4,002 migrations in 2,001 apps: realtime_chat_messaging: 2, app0000: 2, … and 1,993 more`. */
export function describeApps(project: ProjectGraph): string {
  const counts = project.facts.apps.map(app => `${app.label}: ${project.graph.appNodes(app.label).length}`);
  if (counts.length <= APPS_LISTED) return counts.join(', ');
  const total = thousands(project.graph.nodes().length);
  return `${total} migrations in ${thousands(counts.length)} apps: ${counts.slice(0, APPS_LISTED).join(', ')}, … and ${thousands(counts.length - APPS_LISTED)} more`;
}
