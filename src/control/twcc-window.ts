// What a viewer's TWCC feedback says of the last moments: the rate its frames arrived at, the
// share of packets lost, and how long each frame queued beyond its fastest trip yet. Frames come
// as groups: sent on the run's clock, arrived on the viewer's (only differences mean anything).
import type { FrameTrip } from './observations.ts';

/** Frames arrive back to back, at the path's capacity, only while a queue stands before them: then
 *  the arrival rate is measured over this much of the viewer's clock, short, so that after a
 *  capacity drop it soon shows the new rate rather than the old one (a frame arrives every 33 ms)... */
export const BUSY_RATE_WINDOW_MS = 200;
/** ...otherwise the path idled between frames, and a short window shows what the encoder sent in
 *  it (bursty: a key frame, then small frames), not what the path can carry: over this long. */
export const RATE_WINDOW_MS = 1_000;
/** Losses are counted over the packets sent in this long. */
export const LOSS_WINDOW_MS = 500;

export interface GroupDelta {
  arrivalDeltaMs: number;
  sendDeltaMs: number;
  arrivalMs: number;
}

export class TwccWindow {
  #arrivals: { arrivalMs: number; bytes: number }[] = [];
  /** Per feedback: its packets and losses, when its newest frame was sent. */
  #losses: { sendMs: number; packets: number; lost: number }[] = [];
  #queues: { sendMs: number; queueMs: number }[] = [];
  #last: FrameTrip | undefined;
  #baseDelayMs: number | undefined;

  /** One feedback packet: returns the new frames' deltas against the frame before each. */
  add(packets: number, lost: number, groups: readonly FrameTrip[]): GroupDelta[] {
    const deltas: GroupDelta[] = [];
    for (const group of groups) {
      // A frame reported twice (repeated feedback) counts once.
      if (this.#last !== undefined && group.sendMs <= this.#last.sendMs) continue;
      if (this.#last !== undefined) {
        deltas.push({
          arrivalDeltaMs: group.arrivalMs - this.#last.arrivalMs,
          sendDeltaMs: group.sendMs - this.#last.sendMs,
          arrivalMs: group.arrivalMs,
        });
      }
      this.#last = group;
      this.#arrivals.push({ arrivalMs: group.arrivalMs, bytes: group.bytes });
      // One-way delay up to the viewer's clock offset: only its rise over the minimum means anything.
      const delayMs = group.arrivalMs - group.sendMs;
      this.#baseDelayMs = Math.min(this.#baseDelayMs ?? Infinity, delayMs);
      this.#queues.push({ sendMs: group.sendMs, queueMs: delayMs - this.#baseDelayMs });
    }
    const newestSendMs = this.#last?.sendMs ?? 0;
    // Lost packets have no times: they count with the newest frame of their feedback.
    this.#losses.push({ sendMs: newestSendMs, packets, lost });
    const latestArrival = this.#last?.arrivalMs ?? 0;
    while (this.#arrivals.length > 2 && this.#arrivals[1]!.arrivalMs <= latestArrival - RATE_WINDOW_MS)
      this.#arrivals.shift();
    while (this.#losses.length > 1 && this.#losses[0]!.sendMs < newestSendMs - LOSS_WINDOW_MS) this.#losses.shift();
    while (this.#queues.length > 1 && this.#queues[0]!.sendMs < newestSendMs - LOSS_WINDOW_MS) this.#queues.shift();
    return deltas;
  }

  /** kbit/s the frames arrived at over the last `windowMs` (at most RATE_WINDOW_MS): the bytes
   *  after the window's first frame over the time since it. */
  receivedKbps(windowMs: number): number | undefined {
    const latestMs = this.#arrivals.at(-1)?.arrivalMs;
    if (latestMs === undefined) return undefined;
    // The window's first frame marks when it starts: the last one at or before its edge.
    let first = 0;
    while (first + 1 < this.#arrivals.length && this.#arrivals[first + 1]!.arrivalMs <= latestMs - windowMs) first += 1;
    const arrivals = this.#arrivals.slice(first);
    if (arrivals.length < 3) return undefined;
    const spanMs = latestMs - arrivals[0]!.arrivalMs;
    if (spanMs <= 0) return undefined;
    const bytes = arrivals.slice(1).reduce((sum, arrival) => sum + arrival.bytes, 0);
    return (bytes * 8) / spanMs;
  }

  /** Lost / reported packets among those sent after `sinceMs` (and within the loss window). */
  loss(sinceMs = -Infinity): number | undefined {
    const recent = this.#losses.filter((entry) => entry.sendMs > sinceMs);
    const packets = recent.reduce((sum, entry) => sum + entry.packets, 0);
    return packets > 0 ? recent.reduce((sum, entry) => sum + entry.lost, 0) / packets : undefined;
  }

  /**
   * How fast the queue builds, in ms of queue per ms sent, over the last `frames` frames when each
   * queued longer than the one before (undefined otherwise): 1 means sending at twice what the
   * path delivers.
   */
  queueGrowth(frames: number): number | undefined {
    const last = this.#queues.slice(-(frames + 1));
    if (last.length < frames + 1 || last.some((entry, i) => i > 0 && entry.queueMs <= last[i - 1]!.queueMs))
      return undefined;
    const first = last[0]!;
    const latest = last.at(-1)!;
    return latest.sendMs > first.sendMs ? (latest.queueMs - first.queueMs) / (latest.sendMs - first.sendMs) : undefined;
  }

  /** The latest frame's queueing delay (its one-way delay over the smallest seen), ms. */
  queueMs(): number | undefined {
    return this.#queues.at(-1)?.queueMs;
  }

  /** The smallest queueing delay of the frames sent in the last `windowMs` and after `sinceMs`:
   *  the queue every one of them met. */
  standingQueueMs(windowMs: number, sinceMs = -Infinity): number | undefined {
    const newest = this.#queues.at(-1)?.sendMs;
    if (newest === undefined) return undefined;
    const recent = this.#queues.filter((entry) => entry.sendMs > Math.max(sinceMs, newest - windowMs));
    return recent.length === 0 ? undefined : Math.min(...recent.map((entry) => entry.queueMs));
  }
}
