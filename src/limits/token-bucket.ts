/** Rate limits as token buckets: a burst allowance refilled at a steady rate. */

/** A rate limit: `burst` requests (or frames) at once, refilled at `perSecond`. */
export interface RateLimit {
  /** Requests accepted at once. */
  readonly burst: number;
  /** Requests accepted per second, sustained. */
  readonly perSecond: number;
}

export class TokenBucket {
  private tokens: number;
  private at = Date.now();

  constructor(private readonly limit: RateLimit) {
    this.tokens = limit.burst;
  }

  /** Takes a token; false when the bucket is empty. */
  take(now = Date.now()): boolean {
    this.tokens = Math.min(this.limit.burst, this.tokens + ((now - this.at) / 1000) * this.limit.perSecond);
    this.at = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
