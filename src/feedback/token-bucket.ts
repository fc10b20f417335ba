// A rate limit on feedback: `perS` on average, `burst` at once, on the feedback's own clock.
export class TokenBucket {
  readonly #perS: number;
  readonly #burst: number;
  #tokens: number;
  #atUs: number | undefined;

  constructor(perS: number, burst: number) {
    this.#perS = perS;
    this.#burst = burst;
    this.#tokens = burst;
  }

  take(tUs: number): boolean {
    if (this.#atUs !== undefined)
      this.#tokens = Math.min(this.#burst, this.#tokens + ((tUs - this.#atUs) / 1e6) * this.#perS);
    this.#atUs = tUs;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
