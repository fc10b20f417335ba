// Percentiles in bounded memory: log-spaced buckets with 1% relative width, so a run of any
// length keeps a few hundred numbers per figure, and quantiles are within 1% of the truth.
const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
/** Values at or below this share bucket 0 (the unit's resolution floor). */
const FLOOR = 0.001;

export class Histogram {
  readonly #counts = new Map<number, number>();
  #count = 0;
  #sum = 0;
  #min = Infinity;
  #max = -Infinity;

  add(value: number): void {
    if (!Number.isFinite(value)) return;
    const bucket = value <= FLOOR ? 0 : Math.ceil(Math.log(value / FLOOR) / LOG_GROWTH);
    this.#counts.set(bucket, (this.#counts.get(bucket) ?? 0) + 1);
    this.#count += 1;
    this.#sum += value;
    this.#min = Math.min(this.#min, value);
    this.#max = Math.max(this.#max, value);
  }

  get count(): number {
    return this.#count;
  }

  mean(): number | undefined {
    return this.#count === 0 ? undefined : this.#sum / this.#count;
  }

  /** The value below which a fraction `q` (0..1) of the samples fall. */
  quantile(q: number): number | undefined {
    if (this.#count === 0) return undefined;
    const rank = Math.max(1, Math.ceil(q * this.#count));
    let seen = 0;
    for (const bucket of [...this.#counts.keys()].sort((a, b) => a - b)) {
      seen += this.#counts.get(bucket)!;
      if (seen >= rank)
        return Math.min(this.#max, Math.max(this.#min, bucket === 0 ? FLOOR : FLOOR * GROWTH ** bucket));
    }
    return this.#max;
  }
}
