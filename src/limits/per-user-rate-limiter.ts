/**
 * A token bucket per user, for calls that are not frames of one socket (REST requests). Buckets
 * that have refilled are forgotten, so memory follows the users active right now.
 */
import { TokenBucket, type RateLimit } from './token-bucket.js';

export class PerUserRateLimiter {
  private readonly buckets = new Map<string, { bucket: TokenBucket; at: number }>();
  private readonly refillMs: number;

  constructor(readonly limit: RateLimit) {
    this.refillMs = (limit.burst / limit.perSecond) * 1000;
  }

  /** Takes a token of the user's bucket; false when it is empty. */
  take(userId: string, now = Date.now()): boolean {
    let entry = this.buckets.get(userId);
    if (!entry) {
      if (this.buckets.size >= 10_000) this.forgetRefilled(now);
      entry = { bucket: new TokenBucket(this.limit), at: now };
      this.buckets.set(userId, entry);
    }
    entry.at = now;
    return entry.bucket.take(now);
  }

  /** Seconds until the user's bucket holds a token again (for `Retry-After`). */
  retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(1 / this.limit.perSecond));
  }

  /** A bucket untouched for as long as a full refill takes is full: it holds nothing worth keeping. */
  private forgetRefilled(now: number): void {
    for (const [userId, entry] of this.buckets) if (now - entry.at >= this.refillMs) this.buckets.delete(userId);
  }
}
