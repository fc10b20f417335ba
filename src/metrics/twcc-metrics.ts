// A viewer's TWCC feedback (about one packet a frame) as one metrics record a second: what its
// frames said of the path in that second: packets lost, the rate they arrived at, and how long
// they queued beyond the fastest trip seen (one-way delay over its minimum, ms).
import type { TwccFeedback } from '../feedback/stream-feedback.ts';

const SECOND_MS = 1_000;

export interface TwccSecond {
  startMs: number;
  feedbacks: number;
  packets: number;
  lost: number;
  receivedKbps: number;
  queueMeanMs: number | undefined;
  queueMaxMs: number | undefined;
}

export class TwccMetrics {
  #baseDelayUs: number | undefined;
  #second: (TwccSecond & { receivedBytes: number; queueSumMs: number; groups: number }) | undefined;

  /** One feedback at `tMs`; the previous second's figures once it is over. */
  add(tMs: number, feedback: TwccFeedback): TwccSecond | undefined {
    let done: TwccSecond | undefined;
    if (this.#second !== undefined && tMs - this.#second.startMs >= SECOND_MS) done = this.flush();
    const second = (this.#second ??= {
      startMs: tMs,
      feedbacks: 0,
      packets: 0,
      lost: 0,
      receivedKbps: 0,
      queueMeanMs: undefined,
      queueMaxMs: undefined,
      receivedBytes: 0,
      queueSumMs: 0,
      groups: 0,
    });
    second.feedbacks += 1;
    second.packets += feedback.packets - feedback.unknown;
    second.lost += feedback.lost;
    second.receivedBytes += feedback.receivedBytes;
    for (const group of feedback.groups) {
      const delayUs = group.arrivalUs - group.sendUs;
      this.#baseDelayUs = Math.min(this.#baseDelayUs ?? Infinity, delayUs);
      const queueMs = (delayUs - this.#baseDelayUs) / 1000;
      second.queueSumMs += queueMs;
      second.groups += 1;
      second.queueMaxMs = Math.max(second.queueMaxMs ?? 0, queueMs);
    }
    return done;
  }

  /** The second in progress, closed now. */
  flush(): TwccSecond | undefined {
    const second = this.#second;
    this.#second = undefined;
    if (second === undefined) return undefined;
    const { receivedBytes, queueSumMs, groups, ...figures } = second;
    return {
      ...figures,
      receivedKbps: (receivedBytes * 8) / SECOND_MS,
      queueMeanMs: groups > 0 ? queueSumMs / groups : undefined,
    };
  }
}
