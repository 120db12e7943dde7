/** A unified diff of a text edit that changes lines in place (the kind `fix` makes). */

/** The unified diff between two versions of a file with the same number of lines. */
export function unifiedDiff(path: string, before: string, after: string, context = 3): string {
  const a = before.split('\n');
  const b = after.split('\n');
  if (a.length !== b.length) throw new Error('unifiedDiff handles in-place line changes only');
  const changed = a.map((line, i) => line !== b[i]).flatMap((diff, i) => (diff ? [i] : []));
  if (changed.length === 0) return '';
  const hunks: [number, number][] = [];
  for (const i of changed) {
    const start = Math.max(0, i - context);
    const end = Math.min(a.length - 1, i + context);
    const last = hunks[hunks.length - 1];
    if (last && start <= last[1] + 1) last[1] = end;
    else hunks.push([start, end]);
  }
  let out = `--- a/${path}\n+++ b/${path}\n`;
  for (const [start, end] of hunks) {
    const count = end - start + 1;
    out += `@@ -${start + 1},${count} +${start + 1},${count} @@\n`;
    for (let i = start; i <= end; i++) {
      if (a[i] === b[i]) out += ` ${a[i]}\n`;
      else out += `-${a[i]}\n+${b[i]}\n`;
    }
  }
  return out;
}
