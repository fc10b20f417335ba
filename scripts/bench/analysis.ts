// From raw observations of one variant (qdisc counters, ping replies, decoded-frame arrivals, the
// server's series) to its timeline and figures. Pure: no I/O, no clock.
import type { PingReply } from './probes/ping.ts';
import type { QdiscSample } from './probes/tc.ts';
import { capacityAt, capacityDrops, meanCapacity, type CapacityDrop, type CapacityStep } from './schedule.ts';
import type { MountSeries, TimedValue } from './server-metrics.ts';
import type { ViewerPoint } from './viewer-figures.ts';
import { percentile } from '../../src/metrics/percentile.ts';
import { round } from '../../src/metrics/round.ts';

export const BIN_S = 0.5;
/** A bin is settled when its bottleneck loss is under this, ... */
const SETTLED_LOSS_PCT = 2;
/** ... and its RTT at most this much over the base RTT, ... */
const SETTLED_RTT_OVER_BASE_MS = 50;
/** ... for this long without a break. */
const SETTLED_HOLD_S = 2;

export interface TimelineBin {
  t_s: number;
  capacity_kbps: number;
  delivered_kbps: number;
  sent_kbps?: number;
  target_kbps?: number;
  applied_kbps?: number;
  /** Mean RTT of the pings sent in the bin; null when none was answered. */
  rtt_ms: number | null;
  /** Packets the bottleneck dropped / packets offered to it, %; null when none was offered. */
  loss_pct: number | null;
  frames_decoded_cum: number;
  /** Mean end-to-end delay of the frames decoded in the bin (viewer-figures.ts); null: none. */
  e2e_ms?: number | null;
  /** Mean SSIM of the frames decoded in the bin; null: none scored. */
  ssim?: number | null;
}

export interface VariantObservations {
  /** Bench time 0 (the probe client starts, the schedule starts), ms since the epoch. */
  startMs: number;
  durationS: number;
  schedule: readonly CapacityStep[];
  /** When each step of the schedule was in effect on this link, s since startMs (the link's own
   *  change, a few hundred ms after the schedule's time on a loaded machine); the schedule's
   *  times when absent. */
  appliedS?: readonly number[];
  /** Minimum ping RTT before the streams started. */
  baseRttMs: number | undefined;
  qdisc: readonly QdiscSample[];
  pings: readonly PingReply[];
  /** Arrivals of decoded frames; those before startMs (the warm-up) are not counted. */
  decodedTimesMs: readonly number[];
  /** The probe's decoded frames with their delay and SSIM, when a probe watched. */
  viewerPoints?: readonly ViewerPoint[];
  mount: MountSeries;
}

export interface VariantFigures {
  frames_sent: number;
  frames_decoded: number;
  decoded_pct: number | null;
  loss_pct: number | null;
  base_rtt_ms: number | null;
  rtt_p50_ms: number | null;
  rtt_p95_ms: number | null;
  throughput_kbps: number;
  capacity_kbps: number;
  utilisation: number;
  /** Per capacity drop: seconds from when it was in effect on this link to settled (null: never). */
  settle_s: (number | null)[];
  /** Per capacity drop: when it was in effect on this link, s since the start. */
  drop_applied_s: number[];
  timeline: TimelineBin[];
}

/** A running counter `key` at `atMs`, interpolated linearly between samples (held flat outside
 *  them): a qdisc's, or a browser's (browser-figures.ts). */
export function counterAt<Key extends string>(
  samples: readonly ({ atMs: number } & Record<Key, number>)[],
  key: Key,
  atMs: number,
): number {
  if (samples.length === 0) return 0;
  if (atMs <= samples[0]!.atMs) return samples[0]![key];
  for (let i = 1; i < samples.length; i += 1) {
    const a = samples[i - 1]!;
    const b = samples[i]!;
    if (atMs <= b.atMs) return a[key] + ((b[key] - a[key]) * (atMs - a.atMs)) / (b.atMs - a.atMs);
  }
  return samples[samples.length - 1]![key];
}

function lossPct(samples: readonly QdiscSample[], fromMs: number, toMs: number): number | null {
  const drops = counterAt(samples, 'drops', toMs) - counterAt(samples, 'drops', fromMs);
  const offered = counterAt(samples, 'packets', toMs) - counterAt(samples, 'packets', fromMs) + drops;
  return offered > 0.5 ? (100 * drops) / offered : null;
}

function deliveredKbps(samples: readonly QdiscSample[], fromMs: number, toMs: number): number {
  return ((counterAt(samples, 'bytes', toMs) - counterAt(samples, 'bytes', fromMs)) * 8) / (toMs - fromMs);
}

const sentAtMs = (reply: PingReply): number => reply.atMs - reply.rttMs;

/** The value in force at `atMs`: the latest record at or before it. */
function valueInForce(values: readonly TimedValue[], atMs: number): number | undefined {
  let kbps: number | undefined;
  for (const value of values) if (value.atMs <= atMs) kbps = value.kbps;
  return kbps;
}

/** The per-second `stats` record whose window (atMs − 1 s, atMs] holds `atMs`. */
function sentAround(values: readonly TimedValue[], atMs: number): number | undefined {
  return values.find((value) => value.atMs >= atMs && value.atMs - 1_000 <= atMs)?.kbps;
}

function meanOf(values: readonly number[], digits: number): number | null {
  return values.length === 0 ? null : round(values.reduce((sum, value) => sum + value, 0) / values.length, digits);
}

export function buildTimeline(obs: VariantObservations, binS = BIN_S): TimelineBin[] {
  const bins: TimelineBin[] = [];
  for (let tS = 0; tS + binS <= obs.durationS + 1e-9; tS = round(tS + binS, 3)) {
    const fromMs = obs.startMs + tS * 1000;
    const toMs = fromMs + binS * 1000;
    const rtts = obs.pings
      .filter((reply) => sentAtMs(reply) >= fromMs && sentAtMs(reply) < toMs)
      .map((reply) => reply.rttMs);
    const loss = lossPct(obs.qdisc, fromMs, toMs);
    const bin: TimelineBin = {
      t_s: tS,
      capacity_kbps: capacityAt(obs.schedule, tS),
      delivered_kbps: round(deliveredKbps(obs.qdisc, fromMs, toMs), 1),
      rtt_ms: rtts.length > 0 ? round(rtts.reduce((sum, rtt) => sum + rtt, 0) / rtts.length, 2) : null,
      loss_pct: loss === null ? null : round(loss, 2),
      frames_decoded_cum: obs.decodedTimesMs.filter((atMs) => atMs >= obs.startMs && atMs < toMs).length,
    };
    if (obs.viewerPoints !== undefined) {
      const points = obs.viewerPoints.filter((point) => point.atMs >= fromMs && point.atMs < toMs);
      bin.e2e_ms = meanOf(
        points.flatMap((point) => (point.e2eMs !== undefined ? [point.e2eMs] : [])),
        1,
      );
      bin.ssim = meanOf(
        points.flatMap((point) => (point.ssim !== undefined ? [point.ssim] : [])),
        4,
      );
    }
    const sent = sentAround(obs.mount.sent, (fromMs + toMs) / 2);
    const target = valueInForce(obs.mount.target, toMs);
    const applied = valueInForce(obs.mount.applied, toMs);
    if (sent !== undefined) bin.sent_kbps = sent;
    if (target !== undefined) bin.target_kbps = target;
    if (applied !== undefined) bin.applied_kbps = applied;
    bins.push(bin);
  }
  return bins;
}

export interface SettleRule {
  baseRttMs: number;
  lossPct?: number;
  rttOverBaseMs?: number;
  holdS?: number;
}

/**
 * Seconds from each drop to the start of the first bin from which every bin for `holdS` has
 * loss under `lossPct` (or nothing offered) and an RTT at most base + `rttOverBaseMs` (a bin
 * without an answered ping does not qualify). The hold must end before the schedule changes
 * again; null when it never does.
 */
export function settleTimes(
  timeline: readonly TimelineBin[],
  drops: readonly CapacityDrop[],
  rule: SettleRule,
): (number | null)[] {
  const { lossPct = SETTLED_LOSS_PCT, rttOverBaseMs = SETTLED_RTT_OVER_BASE_MS, holdS = SETTLED_HOLD_S } = rule;
  const binS = timeline.length > 1 ? timeline[1]!.t_s - timeline[0]!.t_s : BIN_S;
  const good = (bin: TimelineBin): boolean =>
    (bin.loss_pct === null || bin.loss_pct < lossPct) &&
    bin.rtt_ms !== null &&
    bin.rtt_ms <= rule.baseRttMs + rttOverBaseMs;
  return drops.map((drop) => {
    const window = timeline.filter((bin) => bin.t_s >= drop.tS - 1e-9 && bin.t_s + binS <= drop.untilS + 1e-9);
    const holdBins = Math.round(holdS / binS);
    for (let i = 0; i + holdBins <= window.length; i += 1) {
      if (window.slice(i, i + holdBins).every(good)) return round(window[i]!.t_s - drop.tS, 2);
    }
    return null;
  });
}

export function analyseVariant(obs: VariantObservations): VariantFigures {
  const endMs = obs.startMs + obs.durationS * 1000;
  const timeline = buildTimeline(obs);
  const rtts = obs.pings
    .filter((reply) => sentAtMs(reply) >= obs.startMs && sentAtMs(reply) < endMs)
    .map((reply) => reply.rttMs);
  const throughput = deliveredKbps(obs.qdisc, obs.startMs, endMs);
  const capacity = meanCapacity(obs.schedule, obs.durationS);
  // From time 0 on; the servers stop at the end and the clients get time to drain the queue.
  const framesSent = obs.mount.frames.filter((frame) => frame.atMs >= obs.startMs).length;
  const framesDecoded = obs.decodedTimesMs.filter((atMs) => atMs >= obs.startMs).length;
  const loss = lossPct(obs.qdisc, obs.startMs, endMs);
  const p50 = percentile(rtts, 50);
  const p95 = percentile(rtts, 95);
  const base = obs.baseRttMs ?? percentile(rtts, 0);
  const drops = capacityDrops(obs.schedule, obs.durationS).map((drop) => ({
    ...drop,
    tS: obs.appliedS?.[drop.step] ?? drop.tS,
  }));
  return {
    frames_sent: framesSent,
    frames_decoded: framesDecoded,
    decoded_pct: framesSent > 0 ? round((100 * framesDecoded) / framesSent, 2) : null,
    loss_pct: loss === null ? null : round(loss, 2),
    base_rtt_ms: base === null ? null : round(base, 3),
    rtt_p50_ms: p50 === null ? null : round(p50, 1),
    rtt_p95_ms: p95 === null ? null : round(p95, 1),
    throughput_kbps: round(throughput, 1),
    capacity_kbps: round(capacity, 1),
    utilisation: round(throughput / capacity, 3),
    settle_s: base === null ? drops.map(() => null) : settleTimes(timeline, drops, { baseRttMs: base }),
    drop_applied_s: drops.map((drop) => drop.tS),
    timeline,
  };
}
