// Records -> per-second series: what every chart of the report draws. Pure (no I/O, no clock), fed
// one record at a time, so a 10-minute six-stream run (about 100 000 frame records) becomes a few
// thousand rows without holding the records.
import type { HeaderStream, MetricRecord, StreamMode } from './records.ts';
import { round } from '../metrics/round.ts';
import type { SignalKind } from '../feedback/signal.ts';
import {
  encoderAcc,
  finishEncoder,
  inForce,
  ONLY_ENCODER,
  type EncoderAcc,
  type EncoderSeries,
  type MeanAcc,
} from './encoder-series.ts';

export type { EncoderBin, EncoderSeries } from './encoder-series.ts';

export const BIN_MS = 1000;

/**
 * One second of one stream. `t_s` is the end of the second it covers (the bin [t_s-1, t_s)), so a
 * cumulative count is read at the time it was reached. A figure without data in the bin is absent.
 */
export interface StreamBin {
  t_s: number;
  /** Frames sent since the run started, at the end of the bin (held flat through gaps). */
  frames_total?: number;
  latency_ms?: number;
  jitter_ms?: number;
  fps?: number;
  /** Over the stream's encoders, the sum of each one's mean in the bin. */
  sent_kbps?: number;
  /** Controller target in force at the end of the bin (dynamic streams). */
  target_kbps?: number;
  /** Encoder bitrate in force at the end of the bin (the helper's acknowledgement). */
  applied_kbps?: number;
}

export interface StreamSeries {
  name: string;
  mode: StreamMode;
  file: string;
  bins: StreamBin[];
  /** Empty when the stream's records named no encoder: it ran one at a time. */
  encoders: EncoderSeries[];
  frames: number;
  /** Means over every frame of the run (not over bins); undefined without frames. */
  meanLatencyMs: number | undefined;
  meanJitterMs: number | undefined;
}

export interface ViewerPoint {
  t_s: number;
  rtt_ms?: number;
  jitter_ms?: number;
  fraction_lost?: number;
}

export interface ViewerSeries {
  stream: string;
  viewer: string;
  /** Its client's User-Agent and address, from its `client` records. */
  client: string | undefined;
  address: string | undefined;
  transport: string | undefined;
  reports: number;
  /** What its feedback was (src/feedback/signal.ts): the richest signal it gave over the run. */
  signal: SignalKind | undefined;
  cadenceMs: number | undefined;
  /** Its reports and feedback that were corrected or dropped, as far as the records name it. */
  feedbackIssues: number;
  /** One per second with receiver reports (their means: rtspsrc asked for fast feedback reports
   *  ten times a second), in time order; t_s is the second's last report. */
  points: ViewerPoint[];
}

/** Sums of the reports of one viewer's current second. */
interface SecondAcc {
  second: number;
  rtt: number[];
  jitter: number[];
  loss: number[];
}

export interface RunSeries {
  startedAt: string | undefined;
  /** Time of the last record, s. */
  lastS: number;
  streams: StreamSeries[];
  /** Viewers that sent receiver reports. */
  reporting: ViewerSeries[];
  /** Every viewer seen: that played (a `client` record) or gave feedback of any kind (reports, TWCC, a send queue). */
  viewers: ViewerSeries[];
  /** How many: `viewers.length`, the header's count and the table's rows. */
  viewerCount: number;
}

interface BinAcc {
  latencySum: number;
  latencyN: number;
  jitterSum: number;
  jitterN: number;
  framesTotal: number | undefined;
  fps: number | undefined;
  /** Per encoder (ONLY_ENCODER when unnamed): its sent rates in the bin. */
  sent: Map<number, MeanAcc>;
}

interface StreamAcc {
  spec: HeaderStream;
  bins: Map<number, BinAcc>;
  frames: number;
  latencySum: number;
  latencyN: number;
  jitterSum: number;
  jitterN: number;
  /** [tMs, kbps] in record order. */
  targets: [number, number][];
  applied: [number, number][];
  encoders: Map<number, EncoderAcc>;
}

function newBin(): BinAcc {
  return {
    latencySum: 0,
    latencyN: 0,
    jitterSum: 0,
    jitterN: 0,
    framesTotal: undefined,
    fps: undefined,
    sent: new Map(),
  };
}

export class RunAggregator {
  #startedAt: string | undefined;
  #lastMs = 0;
  readonly #streams = new Map<string, StreamAcc>();
  readonly #viewers = new Map<string, ViewerSeries>();
  readonly #viewerSeconds = new Map<string, SecondAcc>();

  add(record: MetricRecord): void {
    if (record.type === 'header') {
      this.#startedAt = record.startedAt;
      for (const spec of record.streams) {
        this.#streams.set(spec.name, {
          spec,
          bins: new Map(),
          frames: 0,
          latencySum: 0,
          latencyN: 0,
          jitterSum: 0,
          jitterN: 0,
          targets: [],
          applied: [],
          encoders: new Map(),
        });
      }
      return;
    }
    this.#lastMs = Math.max(this.#lastMs, record.tMs);
    if (record.type === 'end') return;
    if (record.type === 'rtcp') this.#addReport(record.stream, record.viewer, record.transport, record);
    if (record.type === 'queue') this.#series(record.stream, record.viewer, 'tcp').signal = 'tcp-queue';
    if (record.type === 'twcc') {
      const series = this.#series(record.stream, record.viewer, undefined);
      if (series.signal !== 'tcp-queue') series.signal = 'twcc';
    }
    if (record.type === 'feedback_issue' && record.viewer !== '*')
      this.#series(record.stream, record.viewer, undefined).feedbackIssues += record.count;
    if (record.type === 'client' && record.clientId !== undefined) {
      const series = this.#series(record.stream, `client:${record.clientId}`, record.transport);
      series.client ??= record.client;
      series.address ??= record.address;
    }
    const stream = this.#streams.get(record.stream);
    if (stream === undefined) return;
    const bin = (): BinAcc => {
      const index = Math.floor(record.tMs / BIN_MS);
      let acc = stream.bins.get(index);
      if (acc === undefined) stream.bins.set(index, (acc = newBin()));
      return acc;
    };
    switch (record.type) {
      case 'frame': {
        const acc = bin();
        stream.frames += 1;
        if (record.latencyMs !== undefined) {
          acc.latencySum += record.latencyMs;
          acc.latencyN += 1;
          stream.latencySum += record.latencyMs;
          stream.latencyN += 1;
        }
        if (record.jitterMs !== undefined) {
          acc.jitterSum += record.jitterMs;
          acc.jitterN += 1;
          stream.jitterSum += record.jitterMs;
          stream.jitterN += 1;
        }
        acc.framesTotal = record.framesTotal ?? stream.frames;
        break;
      }
      case 'window':
        if (record.fps !== undefined) bin().fps = record.fps;
        break;
      case 'stats':
        if (record.sentKbps !== undefined) {
          const sent = bin().sent;
          const encoder = record.encoder ?? ONLY_ENCODER;
          const acc = sent.get(encoder) ?? { sum: 0, n: 0 };
          acc.sum += record.sentKbps;
          acc.n += 1;
          sent.set(encoder, acc);
          if (record.encoder !== undefined) encoderAcc(stream.encoders, record.encoder, record.tMs);
        }
        break;
      case 'control':
        if (record.targetKbps === undefined) break;
        stream.targets.push([record.tMs, record.targetKbps]);
        if (record.encoder !== undefined)
          encoderAcc(stream.encoders, record.encoder, record.tMs).targets.push([record.tMs, record.targetKbps]);
        break;
      case 'bitrate': {
        if (record.bitrateKbps === undefined) break;
        // Before the controller's first decision its target is the start bitrate.
        const startKbps = stream.spec.mode === 'dynamic' ? stream.spec.startBitrateKbps : undefined;
        if (startKbps !== undefined && stream.targets.length === 0) stream.targets.push([record.tMs, startKbps]);
        stream.applied.push([record.tMs, record.bitrateKbps]);
        if (record.encoder === undefined) break;
        const encoder = encoderAcc(stream.encoders, record.encoder, record.tMs);
        if (startKbps !== undefined && encoder.targets.length === 0) encoder.targets.push([record.tMs, startKbps]);
        encoder.applied.push([record.tMs, record.bitrateKbps]);
        break;
      }
      default:
        break;
    }
  }

  #series(stream: string, viewer: string, transport: string | undefined): ViewerSeries {
    const key = `${stream}\u0000${viewer}`;
    let series = this.#viewers.get(key);
    if (series === undefined) {
      series = {
        stream,
        viewer,
        client: undefined,
        address: undefined,
        transport,
        reports: 0,
        signal: undefined,
        cadenceMs: undefined,
        feedbackIssues: 0,
        points: [],
      };
      this.#viewers.set(key, series);
    }
    series.transport ??= transport;
    return series;
  }

  #addReport(
    stream: string,
    viewer: string,
    transport: string | undefined,
    report: { tMs: number; rttMs?: number; jitterMs?: number; fractionLost?: number; cadenceMs?: number },
  ): void {
    const key = `${stream}\u0000${viewer}`;
    const series = this.#series(stream, viewer, transport);
    series.reports += 1;
    series.signal ??= 'rr';
    if (report.cadenceMs !== undefined) series.cadenceMs = report.cadenceMs;
    const second = Math.floor(report.tMs / 1000);
    let acc = this.#viewerSeconds.get(key);
    if (acc === undefined || acc.second !== second) {
      this.#viewerSeconds.set(key, (acc = { second, rtt: [], jitter: [], loss: [] }));
      series.points.push({ t_s: 0 });
    }
    if (report.rttMs !== undefined) acc.rtt.push(report.rttMs);
    if (report.jitterMs !== undefined) acc.jitter.push(report.jitterMs);
    if (report.fractionLost !== undefined) acc.loss.push(report.fractionLost);
    const point: ViewerPoint = { t_s: round(report.tMs / 1000, 3) };
    const meanOf = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    if (acc.rtt.length > 0) point.rtt_ms = meanOf(acc.rtt);
    if (acc.jitter.length > 0) point.jitter_ms = meanOf(acc.jitter);
    if (acc.loss.length > 0) point.fraction_lost = meanOf(acc.loss);
    series.points[series.points.length - 1] = point;
  }

  finish(): RunSeries {
    const lastBin = Math.floor(this.#lastMs / BIN_MS);
    return {
      startedAt: this.#startedAt,
      lastS: this.#lastMs / 1000,
      streams: [...this.#streams.values()].map((stream) => finishStream(stream, lastBin)),
      reporting: [...this.#viewers.values()].filter((series) => series.points.length > 0),
      viewers: [...this.#viewers.values()],
      viewerCount: this.#viewers.size,
    };
  }
}

function finishStream(stream: StreamAcc, lastBin: number): StreamSeries {
  // Decisions carry their own time and may be written a little out of order.
  stream.targets.sort((a, b) => a[0] - b[0]);
  stream.applied.sort((a, b) => a[0] - b[0]);
  const bins: StreamBin[] = [];
  let framesTotal: number | undefined;
  const targetCursor = { i: 0 };
  const appliedCursor = { i: 0 };
  for (let index = 0; index <= lastBin; index += 1) {
    const acc = stream.bins.get(index);
    const endMs = (index + 1) * BIN_MS;
    const bin: StreamBin = { t_s: index + 1 };
    if (acc?.framesTotal !== undefined) framesTotal = acc.framesTotal;
    if (framesTotal !== undefined) bin.frames_total = framesTotal;
    if (acc !== undefined && acc.latencyN > 0) bin.latency_ms = round(acc.latencySum / acc.latencyN, 3);
    if (acc !== undefined && acc.jitterN > 0) bin.jitter_ms = round(acc.jitterSum / acc.jitterN, 3);
    if (acc?.fps !== undefined) bin.fps = acc.fps;
    if (acc !== undefined && acc.sent.size > 0)
      bin.sent_kbps = round(
        [...acc.sent.values()].reduce((sum, { sum: kbps, n }) => sum + kbps / n, 0),
        1,
      );
    const target = inForce(stream.targets, targetCursor, endMs);
    if (target !== undefined) bin.target_kbps = target;
    const applied = inForce(stream.applied, appliedCursor, endMs);
    if (applied !== undefined) bin.applied_kbps = applied;
    if (Object.keys(bin).length > 1) bins.push(bin);
  }
  return {
    name: stream.spec.name,
    mode: stream.spec.mode,
    file: stream.spec.file,
    bins,
    encoders: [...stream.encoders.entries()]
      .sort(([a], [b]) => a - b)
      .map(([encoder, acc]) =>
        finishEncoder(encoder, acc, BIN_MS, (index) => stream.bins.get(index)?.sent.get(encoder)),
      ),
    frames: stream.frames,
    meanLatencyMs: stream.latencyN > 0 ? stream.latencySum / stream.latencyN : undefined,
    meanJitterMs: stream.jitterN > 0 ? stream.jitterSum / stream.jitterN : undefined,
  };
}

/** The whole run at once, for tests and small inputs. */
export function aggregate(records: Iterable<MetricRecord>): RunSeries {
  const aggregator = new RunAggregator();
  for (const record of records) aggregator.add(record);
  return aggregator.finish();
}
