// What a browser viewer saw, from its once-a-second getStats readings (probes/browser.ts), on the
// bench's timeline: frames decoded, freezes, jitter buffer delay. The stalls are the browser's own
// freezes (webrtc-stats' definition, the one the probe uses). Which source frame each picture
// shows is not read in the browser: unique frames, end-to-end delay and SSIM are not measured,
// and say why. Pure.
import { percentile } from '../../src/metrics/percentile.ts';
import { round } from '../../src/metrics/round.ts';
import type { ReceiverSample } from '../lib/whep-page.ts';
import { counterAt } from './analysis.ts';
import type { ViewerFigures } from './viewer-figures.ts';

export interface BrowserFigures {
  /** From just before whepPlay to the first decoded frame. */
  first_frame_ms: number | null;
  width: number | null;
  height: number | null;
  /** getStats over the play (time 0 to the viewer's stop; its frames decoded are the variant's):
   *  mean jitter buffer delay per frame, packets lost after retransmissions, the ICE pair's STUN RTT. */
  jitter_buffer_ms: number | null;
  packets_lost: number;
  ice_rtt_p50_ms: number | null;
  ice_rtt_p95_ms: number | null;
}

export const BROWSER_NOT_MEASURED: Readonly<Record<string, string>> = {
  frames_unique_pct:
    "the browser's pictures are not read: which source frame each shows (its stamp) is not known, so unique, repeated and skipped frames are not counted",
  e2e_delay_p50_ms:
    "getStats gives no sender's time for a frame (no estimatedPlayoutTimestamp on this stream) and the pictures' stamps are not read",
  ssim_mean: "the browser's pictures are not compared with the served clip",
};

type Sum = 'freezeCount' | 'freezesS' | 'jitterBufferDelayS' | 'jitterBufferEmitted' | 'packetsLost';

/**
 * A time for each decoded frame, for the bench's frame counts and timeline: the frames of one
 * reading's second spread evenly over it (those before the first reading at its time).
 */
export function decodedTimesMs(samples: readonly ReceiverSample[]): number[] {
  const times: number[] = [];
  samples.forEach((sample, i) => {
    const before = samples[i - 1];
    const count = sample.framesDecoded - (before?.framesDecoded ?? 0);
    for (let frame = 1; frame <= count; frame += 1)
      times.push(before === undefined ? sample.atMs : before.atMs + ((sample.atMs - before.atMs) * frame) / count);
  });
  return times;
}

/** From `startMs` (time 0) to the last reading (the viewer's stop, after the servers' and the drain). */
export function browserFigures(
  samples: readonly ReceiverSample[],
  firstFrameMs: number | undefined,
  startMs: number,
  endMs: number,
): { figures: ViewerFigures; browser: BrowserFigures } {
  const last = samples.at(-1);
  const over = (key: Sum): number => (last === undefined ? 0 : last[key] - counterAt(samples, key, startMs));
  const emitted = over('jitterBufferEmitted');
  const rtts = samples
    .filter((sample) => sample.atMs >= startMs && sample.atMs < endMs && sample.rttMs !== null)
    .map((sample) => sample.rttMs!);
  const orNull = (value: number | null, digits: number) => (value === null ? null : round(value, digits));
  return {
    figures: {
      frames_unique_pct: null,
      frames_repeated: null,
      frames_skipped: null,
      e2e_delay_p50_ms: null,
      e2e_delay_p95_ms: null,
      e2e_from: null,
      e2e_check_ms: null,
      stall_count: Math.round(over('freezeCount')),
      stall_s: round(over('freezesS'), 2),
      ssim_mean: null,
      psnr_mean_db: null,
    },
    browser: {
      first_frame_ms: firstFrameMs === undefined ? null : round(firstFrameMs, 0),
      width: last?.width ?? null,
      height: last?.height ?? null,
      jitter_buffer_ms: emitted > 0 ? round((1000 * over('jitterBufferDelayS')) / emitted, 1) : null,
      packets_lost: Math.round(over('packetsLost')),
      ice_rtt_p50_ms: orNull(percentile(rtts, 50), 1),
      ice_rtt_p95_ms: orNull(percentile(rtts, 95), 1),
    },
  };
}
