// How often a viewer reports: the median interval between its last accepted receiver reports.
const KEEP = 21;

export class Cadence {
  readonly #timesUs: number[] = [];

  add(tUs: number): void {
    this.#timesUs.push(tUs);
    if (this.#timesUs.length > KEEP) this.#timesUs.shift();
  }

  /** Median interval, ms; undefined before two reports. */
  ms(): number | undefined {
    const intervals = this.#timesUs
      .slice(1)
      .map((t, i) => (t - this.#timesUs[i]!) / 1000)
      .sort((a, b) => a - b);
    return intervals.length === 0 ? undefined : intervals[Math.floor(intervals.length / 2)];
  }
}
