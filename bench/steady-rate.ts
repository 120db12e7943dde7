/** When a benchmark's load has warmed a server up: its rate has stopped climbing. */

/**
 * Runs unmeasured one-second rounds (`round` loads for a second and returns its rate) until two in
 * a row fail to beat the best rate so far by 5%, or `maxSeconds` have passed in all. `best` and
 * `spent` carry a warm-up already run. Returns the seconds spent, that warm-up included.
 */
export async function warmUntilSteady(round: () => Promise<number>, { maxSeconds, best = 0, spent = 0 }: { maxSeconds: number; best?: number; spent?: number }): Promise<number> {
  for (let flat = 0; spent < maxSeconds && flat < 2; spent++) {
    const rate = await round();
    flat = rate > best * 1.05 ? 0 : flat + 1;
    best = Math.max(best, rate);
  }
  return spent;
}
