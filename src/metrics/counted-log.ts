// Events that may come in floods (refused requests, bad feedback), as metrics records: each one in
// detail, up to DETAIL_PER_S in a second; beyond that, one record per reason for the rest of that
// second, with its count. A flood then costs a few lines a second in metrics.ndjson, and every
// event is still counted.
export const DETAIL_PER_S = 20;
const WINDOW_MS = 1_000;

export interface Counted {
  reason: string;
}

export class CountedLog<F extends Counted> {
  readonly #append: (fields: F & { count: number }, tMs: number) => void;
  /** What a count record keeps of the first event of its reason (the details differ). */
  readonly #summaryOf: (fields: F) => F;
  readonly #totals = new Map<string, number>();
  readonly #overflow = new Map<string, F & { count: number }>();
  #windowStartMs = Number.NEGATIVE_INFINITY;
  #inWindow = 0;

  constructor(append: (fields: F & { count: number }, tMs: number) => void, summaryOf: (fields: F) => F) {
    this.#append = append;
    this.#summaryOf = summaryOf;
  }

  /** `count`: events the one given stands for (a helper's sum over a second). */
  add(fields: F, nowMs: number, count = 1): void {
    this.#totals.set(fields.reason, (this.#totals.get(fields.reason) ?? 0) + count);
    this.tick(nowMs);
    this.#inWindow += 1;
    if (this.#inWindow <= DETAIL_PER_S) {
      this.#append({ ...fields, count }, nowMs);
      return;
    }
    const overflow = this.#overflow.get(fields.reason) ?? { ...this.#summaryOf(fields), count: 0 };
    overflow.count += count;
    this.#overflow.set(fields.reason, overflow);
  }

  /** Closes the current second once it is over (call it often: each heartbeat). */
  tick(nowMs: number): void {
    if (nowMs - this.#windowStartMs < WINDOW_MS) return;
    this.flush(nowMs);
    this.#windowStartMs = nowMs;
    this.#inWindow = 0;
  }

  /** Writes the counted events not yet written. */
  flush(nowMs: number): void {
    for (const fields of this.#overflow.values()) this.#append(fields, nowMs);
    this.#overflow.clear();
  }

  /** Events by reason since the start. */
  totals(): Record<string, number> {
    return Object.fromEntries(this.#totals);
  }
}
