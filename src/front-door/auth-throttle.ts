// Password guessing slowed per client address: a bucket of `burst` failures that refills one every
// `refillMs`. While an address's bucket is empty its credentials are not checked at all, right ones
// included: checking them would let the guessing go on at full speed, only answered later. Without
// it, one client tried 1,400-2,000 passwords a second (issue 21); with the defaults, 10 at once,
// then 10 a minute.
import { clientAddress } from './digest.ts';

export interface AuthThrottleOptions {
  /** Failures an address may make in a row. */
  readonly burst: number;
  /** One more failure is allowed this often. */
  readonly refillMs: number;
  /** Addresses kept at most: past it, the one whose last failure is oldest is forgotten. */
  readonly maxAddresses: number;
}

export const DEFAULT_AUTH_THROTTLE: AuthThrottleOptions = { burst: 10, refillMs: 6_000, maxAddresses: 10_000 };

interface Bucket {
  /** Failures the address could still make at `atMs` (refilled since). */
  readonly left: number;
  readonly atMs: number;
}

export class AuthThrottle {
  readonly #options: AuthThrottleOptions;
  readonly #nowMs: () => number;
  /** By address, in the order of their last failure (each failure moves its address last). */
  readonly #buckets = new Map<string, Bucket>();

  /** `nowMs`: a monotonic clock (performance.now by default); tests give their own. */
  constructor(options: AuthThrottleOptions = DEFAULT_AUTH_THROTTLE, nowMs: () => number = () => performance.now()) {
    this.#options = options;
    this.#nowMs = nowMs;
  }

  /** True while the client at `remoteAddress` has no failure left: its credentials must not be checked. */
  locked(remoteAddress: string): boolean {
    return this.#left(clientAddress(remoteAddress), this.#nowMs()) < 1;
  }

  /** A wrong answer from the client at `remoteAddress`. */
  failed(remoteAddress: string): void {
    const address = clientAddress(remoteAddress);
    const nowMs = this.#nowMs();
    const left = Math.max(0, this.#left(address, nowMs) - 1);
    this.#buckets.delete(address);
    this.#buckets.set(address, { left, atMs: nowMs });
    this.#prune(nowMs);
  }

  /** Addresses the table holds. */
  get size(): number {
    return this.#buckets.size;
  }

  #left(address: string, nowMs: number): number {
    const bucket = this.#buckets.get(address);
    if (!bucket) return this.#options.burst;
    return Math.min(this.#options.burst, bucket.left + (nowMs - bucket.atMs) / this.#options.refillMs);
  }

  /**
   * Oldest first: a bucket full again holds nothing worth keeping, and past the cap the oldest go
   * whatever they hold. Stops at the first one to keep, so each failure costs little: the entries
   * left behind are swept by later failures, as they come to the front.
   */
  #prune(nowMs: number): void {
    for (const address of this.#buckets.keys()) {
      const full = this.#left(address, nowMs) >= this.#options.burst;
      if (!full && this.#buckets.size <= this.#options.maxAddresses) return;
      this.#buckets.delete(address);
    }
  }
}
