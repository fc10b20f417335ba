// What the mount really sent recently (one `stats` sample a second): the rate a receiver
// report's interval saw, which may differ from the target (encoder undershoot, a recent change).

const KEEP_MS = 30_000;

export class SentHistory {
  readonly #samples: { tMs: number; kbps: number }[] = [];

  add(tMs: number, kbps: number): void {
    this.#samples.push({ tMs, kbps });
    while (this.#samples.length > 0 && this.#samples[0]!.tMs < tMs - KEEP_MS) this.#samples.shift();
  }

  latest(): number | undefined {
    return this.#samples.at(-1)?.kbps;
  }

  /** Mean of the samples after `fromMs`; the latest one when none is that recent. */
  meanSince(fromMs: number): number | undefined {
    const recent = this.#samples.filter((sample) => sample.tMs > fromMs);
    if (recent.length === 0) return this.latest();
    return recent.reduce((sum, sample) => sum + sample.kbps, 0) / recent.length;
  }

  clear(): void {
    this.#samples.length = 0;
  }
}
