/**
 * Group commit for reads and writes many sockets ask for at once: one statement at a time, and
 * everything asked while it runs goes into the next one. A lone request waits one tick; under a
 * reconnect storm a thousand sockets are a handful of statements instead of a thousand.
 */

/** Runs `run` over the keys asked since the last call started; each caller gets its key's value. */
export class Batched<K, V> {
  private waiting = new Map<K, { resolve(value: V | undefined): void; reject(error: unknown): void }[]>();
  private running = false;

  constructor(
    /** Does the work for a batch of distinct keys (at most `maxBatch`); a key missing from the result gets undefined. */
    private readonly run: (keys: K[]) => Promise<Map<K, V>>,
    private readonly maxBatch = 1000,
  ) {}

  /** The value for `key`, from the next batch. */
  get(key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const callers = this.waiting.get(key);
      if (callers) callers.push({ resolve, reject });
      else this.waiting.set(key, [{ resolve, reject }]);
      if (!this.running) {
        this.running = true;
        // One tick: the requests of sockets set up together share the first statement.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.waiting.size > 0) {
      const keys = [...this.waiting.keys()].slice(0, this.maxBatch);
      const callers = keys.map(key => this.waiting.get(key)!);
      for (const key of keys) this.waiting.delete(key);
      try {
        const values = await this.run(keys);
        keys.forEach((key, i) => {
          for (const caller of callers[i]!) caller.resolve(values.get(key));
        });
      } catch (error) {
        for (const list of callers) for (const caller of list) caller.reject(error);
      }
    }
    this.running = false;
  }
}
