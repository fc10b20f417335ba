// When a helper dies: how long to wait before the next start, or whether to give up.
export interface RestartPolicyOptions {
  initialDelayMs: number;
  maxDelayMs: number;
  /** A run this long counts as healthy: the next failure starts the delays over. */
  healthyAfterMs: number;
  /** This many failures inside failureWindowMs mark the stream failed. */
  maxFailures: number;
  failureWindowMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicyOptions = {
  // Half a second: a crash costs viewers little, yet a helper that dies at once cannot spin.
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  healthyAfterMs: 60_000,
  maxFailures: 5,
  failureWindowMs: 120_000,
};

export type RestartDecision =
  | { action: 'restart'; delayMs: number; attempt: number }
  | { action: 'give-up'; failuresInWindow: number; windowS: number };

export class RestartPolicy {
  readonly #options: RestartPolicyOptions;
  #consecutiveFailures = 0;
  #failureTimes: number[] = [];

  constructor(options: RestartPolicyOptions = DEFAULT_RESTART_POLICY) {
    this.#options = options;
  }

  /** Records a failure at `nowMs` of a run that lasted `uptimeMs`, and decides what follows. */
  onFailure(nowMs: number, uptimeMs: number): RestartDecision {
    const { initialDelayMs, maxDelayMs, healthyAfterMs, maxFailures, failureWindowMs } = this.#options;
    if (uptimeMs >= healthyAfterMs) this.#consecutiveFailures = 0;
    this.#consecutiveFailures += 1;
    this.#failureTimes = [...this.#failureTimes.filter((time) => nowMs - time < failureWindowMs), nowMs];
    if (this.#failureTimes.length >= maxFailures) {
      return { action: 'give-up', failuresInWindow: this.#failureTimes.length, windowS: failureWindowMs / 1000 };
    }
    const delayMs = Math.min(maxDelayMs, initialDelayMs * 2 ** (this.#consecutiveFailures - 1));
    return { action: 'restart', delayMs, attempt: this.#consecutiveFailures };
  }
}
