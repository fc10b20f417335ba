// Send jitter: how irregularly frames leave the server, smoothed as RFC 3550 §6.4.1 smooths
// interarrival jitter (J += (|D| - J) / 16), where D is the deviation of one delivery interval
// from the nominal frame period.
export class SendJitter {
  #jitterMs = 0;

  update(intervalMs: number, nominalPeriodMs: number): number {
    const deviation = Math.abs(intervalMs - nominalPeriodMs);
    this.#jitterMs += (deviation - this.#jitterMs) / 16;
    return this.#jitterMs;
  }

  get valueMs(): number {
    return this.#jitterMs;
  }
}
