// When a helper dies: how long to wait before the next start, or whether to give up.
// Delays double from initialDelayMs up to maxDelayMs; a failure after a restart that already
// waited maxDelayMs marks the stream failed. A healthy run starts the delays over.
export interface RestartPolicyOptions {
  initialDelayMs: number;
  maxDelayMs: number;
  /** A run this long counts as healthy: the next failure starts the delays over. */
  healthyAfterMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicyOptions = {
  // Half a second: a crash costs viewers little, yet a helper that dies at once cannot spin.
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  healthyAfterMs: 60_000,
};

export type RestartDecision =
  | { action: 'restart'; delayMs: number; attempt: number }
  | { action: 'give-up'; failures: number; lastDelayMs: number };

export class RestartPolicy {
  readonly #options: RestartPolicyOptions;
  #consecutiveFailures = 0;
  #lastDelayMs = 0;

  constructor(options: RestartPolicyOptions = DEFAULT_RESTART_POLICY) {
    this.#options = options;
  }

  /** Records a failure of a run that lasted `uptimeMs`, and decides what follows. */
  onFailure(uptimeMs: number): RestartDecision {
    const { initialDelayMs, maxDelayMs, healthyAfterMs } = this.#options;
    if (uptimeMs >= healthyAfterMs) {
      this.#consecutiveFailures = 0;
      this.#lastDelayMs = 0;
    }
    this.#consecutiveFailures += 1;
    if (this.#lastDelayMs >= maxDelayMs) {
      return { action: 'give-up', failures: this.#consecutiveFailures, lastDelayMs: this.#lastDelayMs };
    }
    const delayMs = Math.min(maxDelayMs, initialDelayMs * 2 ** (this.#consecutiveFailures - 1));
    this.#lastDelayMs = delayMs;
    return { action: 'restart', delayMs, attempt: this.#consecutiveFailures };
  }
}
