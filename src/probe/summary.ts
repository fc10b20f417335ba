// A probe's figures: per-frame results in, the summary object (`--json`) out, with a reason for
// each figure that could not be measured. Pure.
import { percentile } from '../metrics/percentile.ts';
import { round } from '../metrics/round.ts';
import type { LedgerCounts } from './frame-ledger.ts';
import { stalledSeconds, type Stall } from './stalls.ts';

export const PROBE_CLIENTS = ['rtspsrc', 'ffmpeg'] as const;
export type ProbeClientKind = (typeof PROBE_CLIENTS)[number];
/** auto: the client's own choice, UDP first and TCP when the server refuses it (461). */
export const PROBE_TRANSPORTS = ['udp', 'tcp', 'auto'] as const;
export type ProbeTransport = (typeof PROBE_TRANSPORTS)[number];

export interface ProbeSummary {
  url: string;
  client: ProbeClientKind;
  transport: ProbeTransport;
  started_at: string;
  duration_s: number;
  /** Why the probe stopped: its time was up, it was interrupted, the stream ended, or the
   *  client failed (with its message). */
  ended_by: string;
  width: number | null;
  height: number | null;
  frames_decoded: number;
  frames_identified: number;
  frames_stamp_inferred: number;
  frames_produced: number;
  frames_unique: number;
  frames_unique_pct: number | null;
  frames_repeated: number;
  frames_skipped: number;
  e2e_frames: number;
  e2e_delay_p50_ms: number | null;
  e2e_delay_p95_ms: number | null;
  e2e_delay_max_ms: number | null;
  stall_count: number;
  stall_s: number;
  frames_scored: number;
  ssim_mean: number | null;
  ssim_min: number | null;
  psnr_mean_db: number | null;
  /** Figure (a key above) -> why it is null. */
  not_measured: Record<string, string>;
}

export interface FrameScore {
  e2eMs?: number;
  ssim?: number;
  psnrDb?: number;
}

const orNull = (value: number | null, digits: number): number | null => (value === null ? null : round(value, digits));

const NOT_SCORED = { frames_scored: 0, ssim_mean: null, ssim_min: null, psnr_mean_db: null };

/** Running sums of the per-frame figures. */
export class ProbeTally {
  readonly e2eMs: number[] = [];
  private ssimSum = 0;
  private ssimMin = Infinity;
  private psnrSum = 0;
  private scored = 0;

  add(score: FrameScore): void {
    if (score.e2eMs !== undefined) this.e2eMs.push(score.e2eMs);
    if (score.ssim !== undefined && score.psnrDb !== undefined) {
      this.scored += 1;
      this.ssimSum += score.ssim;
      this.ssimMin = Math.min(this.ssimMin, score.ssim);
      this.psnrSum += score.psnrDb;
    }
  }

  delays(): {
    e2e_frames: number;
    e2e_delay_p50_ms: number | null;
    e2e_delay_p95_ms: number | null;
    e2e_delay_max_ms: number | null;
  } {
    return {
      e2e_frames: this.e2eMs.length,
      e2e_delay_p50_ms: orNull(percentile(this.e2eMs, 50), 1),
      e2e_delay_p95_ms: orNull(percentile(this.e2eMs, 95), 1),
      e2e_delay_max_ms: orNull(percentile(this.e2eMs, 100), 1),
    };
  }

  quality(): { frames_scored: number; ssim_mean: number | null; ssim_min: number | null; psnr_mean_db: number | null } {
    if (this.scored === 0) return NOT_SCORED;
    return {
      frames_scored: this.scored,
      ssim_mean: round(this.ssimSum / this.scored, 4),
      ssim_min: round(this.ssimMin, 4),
      psnr_mean_db: round(this.psnrSum / this.scored, 2),
    };
  }
}

export interface SummaryInputs {
  url: string;
  client: ProbeClientKind;
  transport: ProbeTransport;
  startedMs: number;
  endedMs: number;
  endedBy: string;
  size: { width: number; height: number } | undefined;
  counts: LedgerCounts;
  tally: ProbeTally;
  stalls: readonly Stall[];
  /** Why there is no reference to score against, when there is none or it is not the served clip. */
  noReference?: string;
}

export function summarise(inputs: SummaryInputs): ProbeSummary {
  const { counts, tally, client } = inputs;
  // Frames scored before a wrong reference was found out are no figure either.
  const quality = inputs.noReference === undefined ? tally.quality() : NOT_SCORED;
  const notMeasured: Record<string, string> = {};
  if (counts.decoded === 0) notMeasured.frames_decoded = 'no frame was decoded';
  if (counts.identified === 0 && counts.decoded > 0)
    notMeasured.frames_unique_pct =
      'no picture carried a readable stamp: serve a clip from `npm run test-video` to count unique, repeated and skipped frames';
  if (tally.e2eMs.length === 0) {
    notMeasured.e2e_delay_p50_ms =
      client === 'ffmpeg'
        ? "FFmpeg does not give the RTCP sender reports' NTP time per frame: use --client rtspsrc"
        : "no RTCP sender report mapped the stream to the server's clock";
  }
  if (quality.frames_scored === 0) {
    notMeasured.ssim_mean =
      inputs.noReference ??
      (counts.identified === 0
        ? 'no picture carried a readable stamp to match with a reference frame'
        : "no decoded picture matched the reference's size");
  }
  return {
    url: inputs.url,
    client,
    transport: inputs.transport,
    started_at: new Date(inputs.startedMs).toISOString(),
    duration_s: round((inputs.endedMs - inputs.startedMs) / 1000, 2),
    ended_by: inputs.endedBy,
    width: inputs.size?.width ?? null,
    height: inputs.size?.height ?? null,
    frames_decoded: counts.decoded,
    frames_identified: counts.identified,
    frames_stamp_inferred: counts.inferred,
    frames_produced: counts.produced,
    frames_unique: counts.unique,
    frames_unique_pct: counts.produced > 0 ? round((100 * counts.unique) / counts.produced, 2) : null,
    frames_repeated: counts.repeated,
    frames_skipped: counts.skipped,
    ...tally.delays(),
    stall_count: inputs.stalls.length,
    stall_s: stalledSeconds(inputs.stalls),
    ...quality,
    not_measured: notMeasured,
  };
}

const show = (value: number | null, unit = ''): string => (value === null ? 'not measured' : `${value}${unit}`);

/** The summary for a person: one figure per line, and why any is missing. */
export function summaryText(summary: ProbeSummary): string[] {
  return [
    `${summary.url} (${summary.client}, ${summary.transport}): ${summary.duration_s} s, ${summary.ended_by}; ${summary.width ?? '?'}x${summary.height ?? '?'}`,
    `  frames decoded      ${summary.frames_decoded}`,
    `  unique source       ${show(summary.frames_unique_pct, ' %')} (${summary.frames_unique} of ${summary.frames_produced} produced; ${summary.frames_repeated} repeated, ${summary.frames_skipped} skipped, ${summary.frames_stamp_inferred} stamps inferred)`,
    `  e2e delay           p50 ${show(summary.e2e_delay_p50_ms, ' ms')}, p95 ${show(summary.e2e_delay_p95_ms, ' ms')}, max ${show(summary.e2e_delay_max_ms, ' ms')} (${summary.e2e_frames} frames)`,
    `  stalls              ${summary.stall_count}, ${summary.stall_s} s in all`,
    `  SSIM                mean ${show(summary.ssim_mean)}, min ${show(summary.ssim_min)}; PSNR mean ${show(summary.psnr_mean_db, ' dB')} (${summary.frames_scored} frames scored)`,
    ...Object.entries(summary.not_measured).map(([key, reason]) => `  not measured: ${key}: ${reason}`),
  ];
}
