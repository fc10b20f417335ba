// A viewer's TWCC feedback (about one packet a frame): GCC's delay gradient (trendline.ts) says
// whether a queue is building, the packets it reports say what was lost, and their arrival times
// say what the path delivers: the capacity to cut to.
import type { Assessment } from './assessment.ts';
import type { Observation } from './observations.ts';
import type { SentHistory } from './sent-history.ts';
import { TrendlineEstimator } from './trendline.ts';
import {
  BURST_QUEUE_MS,
  LOSS_CLEAN,
  LOSS_OVERUSE,
  QUEUE_CLEAN_MS,
  QUEUE_OVERUSE_MS,
  RISING_FRAMES,
  FAST_GROWTH,
  TWCC_QUEUE_WINDOW_MS,
} from './tuning.ts';
import { BUSY_RATE_WINDOW_MS, RATE_WINDOW_MS, TwccWindow } from './twcc-window.ts';

type Feedback = Extract<Observation, { kind: 'twcc' }>;

export class TwccSignal {
  readonly #window = new TwccWindow();
  readonly #trendline = new TrendlineEstimator();

  /**
   * Judges the frames sent after `sinceMs` (the last cut: earlier ones still describe the old
   * rate). Undefined while no such frame arrived: nothing to judge.
   */
  assess(feedback: Feedback, sent: SentHistory, sinceMs: number | undefined): Assessment | undefined {
    for (const delta of this.#window.add(feedback.packets, feedback.lost, feedback.groups)) {
      this.#trendline.update(delta.arrivalDeltaMs, delta.sendDeltaMs, delta.arrivalMs);
    }
    // A key frame leaves as a burst that queues for a moment (up to the encoder's rate-control
    // buffer) and makes the delay rise whatever the rate: the smallest queueing delay of the last
    // moments is what every frame met. The gradient says a queue grows; only a queue that stands
    // says the rate is the cause. The frames after a key frame queue less and less; after a
    // capacity drop each queues longer than the one before, fast: that needs no window.
    const standingMs = this.#window.standingQueueMs(TWCC_QUEUE_WINDOW_MS, sinceMs);
    const queueMs = this.#window.queueMs();
    if (standingMs === undefined || queueMs === undefined) return undefined;
    const loss = this.#window.loss(sinceMs) ?? 0;
    const usage = this.#trendline.usage;
    const lossy = loss >= LOSS_OVERUSE;
    const building = (this.#window.queueGrowth(RISING_FRAMES) ?? 0) >= FAST_GROWTH && queueMs >= QUEUE_OVERUSE_MS;
    const overuse =
      lossy || building || standingMs >= BURST_QUEUE_MS || (usage === 'overusing' && standingMs >= QUEUE_OVERUSE_MS);
    // Packets lost, a queue growing frame after frame, or one that stood for the whole short
    // window: the path was busy, its frames arrived back to back.
    const busy = lossy || building || standingMs >= QUEUE_OVERUSE_MS;
    const capacityKbps =
      this.#window.receivedKbps(busy ? BUSY_RATE_WINDOW_MS : RATE_WINDOW_MS) ??
      (sent.latest() === undefined ? undefined : sent.latest()! * (1 - loss));
    return {
      overuse,
      overuseReason: lossy ? 'loss' : 'delay',
      // A queue that stands is no room to grow into; one draining after a cut is gone once it no
      // longer stands.
      // (Nor is a frame that met more queue than any key frame's burst makes.)
      clean: loss < LOSS_CLEAN && usage !== 'overusing' && standingMs < QUEUE_CLEAN_MS && queueMs < BURST_QUEUE_MS,
      capacityKbps,
      // What a cut must drain is the queue now.
      queueMs,
      figures: { queueMs, loss, capacityKbps },
    };
  }
}
