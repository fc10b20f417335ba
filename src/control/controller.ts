// The bitrate controller of one dynamic mount: pure logic over observations (observations.ts).
// Each viewer's path has its own rate (viewer-path.ts); the mount serves the weakest viewer
// that has given a signal, within the configured bounds. No signal yet, or none since: hold.
import type { Step, StepReason } from './assessment.ts';
import type { Observation } from './observations.ts';
import { SentHistory } from './sent-history.ts';
import { MAX_STEP_UP, MIN_CHANGE, MIN_RAISE_INTERVAL_MS } from './tuning.ts';
import { ViewerPath } from './viewer-path.ts';

export interface ControllerConfig {
  minKbps: number;
  maxKbps: number;
  startKbps: number;
}

export type DecisionReason = StepReason | 'viewer-left';

/** A new target for the encoder, with the viewer and the figures that moved it. */
export interface Decision extends Omit<Step, 'reason'> {
  tMs: number;
  targetKbps: number;
  previousKbps: number;
  reason: DecisionReason;
  /** The weakest viewer, whose rate the target now follows. */
  viewer: string;
  /** The viewer whose signal (or departure) moved the target; the figures are its own. */
  signalFrom: string;
}

export class BitrateController {
  readonly #config: ControllerConfig;
  readonly #viewers = new Map<string, ViewerPath>();
  readonly #sent = new SentHistory();
  #targetKbps: number;
  #lastRaiseMs: number | undefined;

  constructor(config: ControllerConfig) {
    this.#config = config;
    this.#targetKbps = config.startKbps;
  }

  get targetKbps(): number {
    return this.#targetKbps;
  }

  /** Feeds one observation; returns a decision when the target moves. */
  observe(observation: Observation): Decision | undefined {
    switch (observation.kind) {
      case 'sent':
        this.#sent.add(observation.tMs, observation.sentKbps);
        return undefined;
      case 'left':
        this.#viewers.delete(observation.viewer);
        return this.#retarget(observation.tMs, observation.viewer, { reason: 'viewer-left' });
      case 'report':
      case 'queue':
      case 'twcc': {
        const step = this.#path(observation.viewer).observe(observation, this.#targetKbps, this.#sent, this.#config);
        return step === undefined ? undefined : this.#retarget(observation.tMs, observation.viewer, step);
      }
    }
  }

  /** Every viewer is gone (media torn down, helper restarted): hold the target until new signals. */
  forgetViewers(): void {
    this.#viewers.clear();
    this.#sent.clear();
  }

  /** A viewer's path, from its first signal on: until then a viewer does not count. */
  #path(viewer: string): ViewerPath {
    let path = this.#viewers.get(viewer);
    if (!path) {
      path = new ViewerPath(viewer);
      this.#viewers.set(viewer, path);
    }
    return path;
  }

  #weakest(): ViewerPath | undefined {
    let weakest: ViewerPath | undefined;
    for (const path of this.#viewers.values()) {
      if (path.rateKbps !== undefined && (weakest === undefined || path.rateKbps < weakest.rateKbps!)) weakest = path;
    }
    return weakest;
  }

  #retarget(
    tMs: number,
    signalFrom: string,
    step: Omit<Step, 'reason'> & { reason: DecisionReason },
  ): Decision | undefined {
    const weakest = this.#weakest();
    if (weakest === undefined) return undefined;
    const { minKbps, maxKbps } = this.#config;
    const previousKbps = this.#targetKbps;
    let wanted = Math.round(Math.min(maxKbps, Math.max(minKbps, weakest.rateKbps!)));
    // The weakest viewer left: the others' rates were never tried beyond one probing step.
    if (step.reason === 'viewer-left') wanted = Math.min(wanted, Math.round(previousKbps * MAX_STEP_UP));
    const change = Math.abs(wanted - previousKbps);
    const atBound = wanted === minKbps || wanted === maxKbps;
    if (change === 0 || (change < MIN_CHANGE * previousKbps && !atBound)) return undefined;
    if (wanted > previousKbps) {
      if (this.#lastRaiseMs !== undefined && tMs - this.#lastRaiseMs < MIN_RAISE_INTERVAL_MS) return undefined;
      this.#lastRaiseMs = tMs;
    }
    this.#targetKbps = wanted;
    return { tMs, targetKbps: wanted, previousKbps, viewer: weakest.viewer, signalFrom, ...step };
  }
}
