/**
 * `check`: reports every problem of the migration graph, exit 1 on any. A project unchanged since
 * its last check gets that check's report (see check-memo.ts) without loading what reads the
 * files and builds the graph.
 */
import { EXIT } from '../cli-error.js';
import type { Args } from './args.js';
import { checkDigest, recordingOutput, rememberedReport, rememberReport, replay } from './check-memo.js';
import type { Output } from './output.js';
import { listProjectFiles, type ProjectFiles } from './project-files.js';

/** `check`: report every problem; exit 1 on any. An unchanged project gets its last report (see check-memo.ts). */
export async function check(configFile: string, args: Args, io: Output): Promise<number> {
  const files = await listProjectFiles(configFile, args.cache);
  // --verbose says how the files were read, which a remembered report would not.
  const digest = files.cacheDir && !args.verbose ? checkDigest(files) : undefined;
  const remembered = digest && rememberedReport(files.cacheDir!, digest);
  if (remembered) return replay(remembered, io);
  const recorder = recordingOutput(io);
  const code = await checkRead(files, args, recorder.io);
  if (digest) rememberReport(files, digest, { code, lines: recorder.lines });
  return code;
}

/** The check itself: reads the files, builds the graph, reports. */
async function checkRead(files: ProjectFiles, args: Args, io: Output): Promise<number> {
  const [{ describeRead, graphOf }, { describeApps, problemLines }] = await Promise.all([import('./project-graph.js'), import('./report.js')]);
  const project = await graphOf(files);
  if (args.verbose) io.err(describeRead(project));
  if (project.problems.length === 0) {
    io.out(`No problems: ${project.graph.nodes().length} migrations (${describeApps(project)}).`);
    return EXIT.ok;
  }
  io.out(`${project.problems.length} problem${project.problems.length > 1 ? 's' : ''} found (${describeApps(project)}):`);
  for (const line of problemLines(project)) io.out(line);
  return EXIT.problems;
}
