/**
 * Node leases: which server processes of a chat are alive, kept where every process reads the
 * same answer (Redis). A process renews its lease every presence interval; one that stops (a
 * `kill -9`, a crash, a frozen host) lets it lapse, and exactly one survivor claims it to clean up
 * after it (its session rows, its users' presence).
 */

/** The leases of the nodes of one chat, as a channel layer that can hold them offers them. */
export interface NodeLeases {
  /**
   * Keeps this node alive for `ttlMs` more. Returns false when its lease had lapsed before this
   * renewal (another node may have taken it for dead and swept its sessions).
   */
  renew(ttlMs: number): Promise<boolean>;
  /** The nodes whose lease lapsed; each is returned to one caller only, which cleans up after it. */
  claimLapsed(): Promise<string[]>;
  /** The nodes holding a lease now. */
  live(): Promise<string[]>;
  /** Gives this node's lease up at once (a clean shutdown: nothing is left to sweep). */
  release(): Promise<void>;
}
