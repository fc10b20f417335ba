// Counts in one-second windows: frames per second and bits per second actually sent.
export interface WindowSample {
  /** End of the window, ms since the run started. */
  endMs: number;
  fps: number;
  encodedKbps: number;
}

export class WindowRate {
  readonly #windowMs: number;
  #windowStartMs: number | undefined;
  #frames = 0;
  #bytes = 0;

  constructor(windowMs = 1_000) {
    this.#windowMs = windowMs;
  }

  /** Adds one frame of `bytes` sent at `atMs`; returns the windows that closed before it. */
  add(atMs: number, bytes: number): WindowSample[] {
    const closed: WindowSample[] = [];
    this.#windowStartMs ??= atMs;
    while (atMs >= this.#windowStartMs + this.#windowMs) {
      closed.push(this.#close());
    }
    this.#frames += 1;
    this.#bytes += bytes;
    return closed;
  }

  #close(): WindowSample {
    const start = this.#windowStartMs!;
    const seconds = this.#windowMs / 1000;
    const sample = {
      endMs: start + this.#windowMs,
      fps: this.#frames / seconds,
      encodedKbps: (this.#bytes * 8) / 1000 / seconds,
    };
    this.#windowStartMs = start + this.#windowMs;
    this.#frames = 0;
    this.#bytes = 0;
    return sample;
  }
}
