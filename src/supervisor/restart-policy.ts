// When a helper dies: how long to wait before the next start, or whether to give up.
// Delays double from initialDelayMs up to maxDelayMs. A failure after a restart that already
// waited maxDelayMs gives up on a helper that never got ready (a bad file, a bad option: more
// starts cannot help); a helper that has served before is only failing (a client may be crashing
// it on purpose, and giving up would hand it the outage), and is retried every maxDelayMs for as
// long as it fails. A healthy run starts the delays over.
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
  /** Failures in a row past the longest wait, of a helper that has served: retried at that wait. */
  | { action: 'failing'; delayMs: number; failures: number }
  | { action: 'give-up'; failures: number; lastDelayMs: number };

export class RestartPolicy {
  readonly #options: RestartPolicyOptions;
  #consecutiveFailures = 0;
  #lastDelayMs = 0;
  #served = false;

  constructor(options: RestartPolicyOptions = DEFAULT_RESTART_POLICY) {
    this.#options = options;
  }

  /** The helper got ready: it can serve, so it is never given up for good. */
  onReady(): void {
    this.#served = true;
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
      return this.#served
        ? { action: 'failing', delayMs: maxDelayMs, failures: this.#consecutiveFailures }
        : { action: 'give-up', failures: this.#consecutiveFailures, lastDelayMs: this.#lastDelayMs };
    }
    const delayMs = Math.min(maxDelayMs, initialDelayMs * 2 ** (this.#consecutiveFailures - 1));
    this.#lastDelayMs = delayMs;
    return { action: 'restart', delayMs, attempt: this.#consecutiveFailures };
  }
}
