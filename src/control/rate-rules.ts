// How a rate moves: down to below the path's capacity with room to drain its queue, up by
// probing (multiplicative far from the last rate known to be good, additive near it).
import type { SignalName } from './assessment.ts';
import {
  BACKOFF,
  DEEPEST_CUT,
  DRAIN_S,
  FAST_PROBE_PER_S,
  MAX_PROBE_ELAPSED_S,
  MAX_STEP_UP,
  NEAR_GOOD_HIGH,
  NEAR_GOOD_LOW,
  PROBE_ADDITIVE_PER_S,
  PROBE_MULTIPLICATIVE_PER_S,
  SENT_HEADROOM,
} from './tuning.ts';

/**
 * The rate to send after an overuse: a margin below the capacity estimate, less what empties the
 * queue that has built (`queueMs` of traffic at that capacity) within DRAIN_S, never below
 * DEEPEST_CUT of the capacity in one step.
 */
export function decreasedRate(capacityKbps: number, queueMs: number | undefined): number {
  const drain = (queueMs ?? 0) / (DRAIN_S * 1000);
  return capacityKbps * Math.max(DEEPEST_CUT, BACKOFF - drain);
}

export interface ProbeInput {
  currentKbps: number;
  /** The capacity seen at the last overuse: probing slows down near it. */
  lastGoodKbps: number | undefined;
  /** Time since this viewer's previous signal, when this one is clean. */
  elapsedS: number;
  /** What the mount actually sent lately, when known. */
  sentKbps: number | undefined;
  /** The signal: receiver reports, send-queue samples, TWCC feedback. */
  signal: SignalName;
  /** The previous signal came within FRESH_SIGNAL_MS: an overshoot shows at once. */
  fresh: boolean;
}

export function probedRate({ currentKbps, lastGoodKbps, elapsedS, sentKbps, signal, fresh }: ProbeInput): number {
  const seconds = Math.min(Math.max(elapsedS, 0), MAX_PROBE_ELAPSED_S);
  // Feedback that comes several times a second shows an overshoot before it has cost much.
  const growth = (1 + (fresh ? FAST_PROBE_PER_S : PROBE_MULTIPLICATIVE_PER_S)) ** seconds;
  let next: number;
  if (lastGoodKbps === undefined || currentKbps > NEAR_GOOD_HIGH * lastGoodKbps) {
    // Nothing known, or well past the last capacity seen without trouble: it is stale.
    next = currentKbps * growth;
  } else if (currentKbps < NEAR_GOOD_LOW * lastGoodKbps) {
    // Far below it: climb quickly, but only back into the careful zone.
    next = Math.min(currentKbps * growth, NEAR_GOOD_LOW * lastGoodKbps);
  } else {
    next = currentKbps + PROBE_ADDITIVE_PER_S[signal] * lastGoodKbps * seconds;
  }
  next = Math.min(next, currentKbps * MAX_STEP_UP);
  // An encoder that undershoots (simple pictures) gives no evidence about higher rates.
  if (sentKbps !== undefined) next = Math.min(next, Math.max(currentKbps, sentKbps * SENT_HEADROOM));
  return next;
}
