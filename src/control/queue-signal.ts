// A TCP viewer's send queue: the bytes the kernel still holds towards it (sampled every 250 ms),
// in time at the rate we send, is the delay a frame sent now meets. With the bytes the media has
// sent so far, what the viewer took between two samples is exact: the path's delivered rate.
import type { Assessment } from './assessment.ts';
import type { Observation } from './observations.ts';
import type { SentHistory } from './sent-history.ts';
import { COLLAPSE_SHARE, QUEUE_CLEAN_MS, QUEUE_OVERUSE_MS, TCP_WINDOW_MS } from './tuning.ts';

type QueueSample = Extract<Observation, { kind: 'queue' }>;

interface Sample extends QueueSample {
  queueMs: number;
}

/** kbit/s the media fed the connection from `from` to `to`: exact with the bytes sent, else the
 *  recent sent rate. */
function fed(from: QueueSample, to: QueueSample, sentKbps: number): number {
  return from.bytesSent !== undefined && to.bytesSent !== undefined
    ? ((to.bytesSent - from.bytesSent) * 8) / (to.tMs - from.tMs)
    : sentKbps;
}

/** kbit/s the viewer took from `from` to `to`: what was fed, less what the queue grew by. */
function delivered(from: QueueSample, to: QueueSample, sentKbps: number): number | undefined {
  const spanMs = to.tMs - from.tMs;
  if (spanMs <= 0) return undefined;
  return Math.max(0, fed(from, to, sentKbps) - ((to.unsentBytes - from.unsentBytes) * 8) / spanMs);
}

export class QueueSignal {
  /** Bytes in flight on an idle path: the fewest ever unsent. */
  #baseBytes: number | undefined;
  #samples: Sample[] = [];

  /** Undefined before the first `stats` sample: a media's first second is a burst (first frames,
   *  the socket's buffers growing) and nothing says yet what was sent. */
  assess(sample: QueueSample, sent: SentHistory): Assessment | undefined {
    const sentKbps = sent.meanSince(sample.tMs - TCP_WINDOW_MS);
    if (sentKbps === undefined) return undefined;
    this.#baseBytes = Math.min(this.#baseBytes ?? Infinity, sample.unsentBytes);
    const queuedBytes = sample.unsentBytes - this.#baseBytes;
    // In time at the rate we send: the delay a frame sent now meets, were the path that fast.
    const queueMs = (queuedBytes * 8) / sentKbps;
    const samples = this.#samples;
    samples.push({ ...sample, queueMs });
    while (samples.length > 3 && samples[1]!.tMs <= sample.tMs - TCP_WINDOW_MS) samples.shift();
    // A key frame's burst fills the queue for a moment; a queue that never empties for a whole
    // window is standing: the path is slower than the stream (CoDel's test).
    const recent = samples.filter((s) => s.tMs > sample.tMs - TCP_WINDOW_MS);
    const standing =
      sample.tMs - samples[0]!.tMs >= TCP_WINDOW_MS && Math.min(...recent.map((s) => s.queueMs)) >= QUEUE_OVERUSE_MS;
    // A path that took well under what it was fed in the last two intervals has collapsed (a key
    // frame's burst swells one interval only): no need to wait for a whole window.
    const intervals = samples
      .slice(-3)
      .map((to, i, last) => [last[i - 1], to] as const)
      .slice(1);
    const collapsed =
      queueMs >= QUEUE_OVERUSE_MS &&
      intervals.length === 2 &&
      sample.bytesSent !== undefined &&
      intervals.every(
        ([from, to]) => (delivered(from!, to, sentKbps) ?? Infinity) < COLLAPSE_SHARE * fed(from!, to, sentKbps),
      );
    const capacityKbps = delivered(collapsed ? intervals[0]![0]! : samples[0]!, sample, sentKbps);
    return {
      overuse: (standing || collapsed) && capacityKbps !== undefined,
      overuseReason: 'queue',
      clean: queueMs < QUEUE_CLEAN_MS,
      capacityKbps,
      // At the rate the path delivers, the queue takes longer to drain than at ours.
      queueMs: capacityKbps ? (queuedBytes * 8) / capacityKbps : queueMs,
      figures: { queueMs, capacityKbps },
    };
  }
}
