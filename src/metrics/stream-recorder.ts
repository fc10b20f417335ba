// One stream's metrics: turns its helper's records into the figures of docs/metrics.md, appends
// them to metrics.ndjson as they happen, and answers the live status and the run summary.
import type { Decision } from '../control/controller.ts';
import { dispatchHelperEvent, type HelperEvent, type HelperEventHandlers, type ParsedLine } from '../helper/protocol.ts';
import type { StreamSpec } from '../streams/plan.ts';
import type { StreamStatus } from '../ui/status-table.ts';
import { FrameMetrics, type FrameSummary } from './frame-metrics.ts';
import { Histogram } from './histogram.ts';
import { snakeCaseKeys } from './snake-case.ts';
import type { NdjsonWriter } from './ndjson-writer.ts';
import { ViewerMetrics, type ViewerSummary } from './viewer-metrics.ts';
import { RejectionLog } from './rejections.ts';
import { SentRateMeter } from './sent-rate.ts';
import { viewerKey } from './viewer-key.ts';
import { WindowRate } from './window-rate.ts';
import { round } from './round.ts';

export interface RunClock {
  /** ms since the run started, for a monotonic µs time from a helper. */
  fromMonotonicUs(us: number): number;
  nowMs(): number;
}

export interface StreamSummary extends FrameSummary {
  stream: string;
  mode: StreamSpec['mode'];
  file: string;
  meanSentKbps: number | undefined;
  restarts: number;
  badRecords: number;
  /** Error responses and connections the helper closed, by reason. */
  rejected: Record<string, number>;
  viewers: ViewerSummary[];
}

export class StreamRecorder {
  readonly #stream: StreamSpec;
  readonly #writer: NdjsonWriter;
  readonly #clock: RunClock;
  readonly #frames: FrameMetrics;
  readonly #window = new WindowRate();
  readonly #sentKbps = new Histogram();
  readonly #viewers = new Map<string, ViewerMetrics>();
  readonly #activeClients = new Set<number>();
  #fps: number | undefined;
  #targetKbps: number;
  #lastWindow: { fps: number; sentKbps: number } | undefined;
  readonly #sentRate = new SentRateMeter();
  #recentLatencyMs: number | undefined;
  #restarts = 0;
  #badRecords = 0;
  readonly #rejections = new RejectionLog((fields, tMs) => this.#append('rejected', fields, tMs));
  #state: StreamStatus['state'] = 'starting';

  constructor(stream: StreamSpec, writer: NdjsonWriter, clock: RunClock) {
    this.#stream = stream;
    this.#writer = writer;
    this.#clock = clock;
    this.#targetKbps = stream.startBitrateKbps;
    this.#frames = new FrameMetrics(() => (this.#fps ? 1000 / this.#fps : undefined));
  }

  #append(type: string, fields: object, tMs = this.#clock.nowMs()): void {
    this.#writer.append({ type, stream: this.#stream.name, t_ms: round(tMs, 1), ...fields });
  }

  #viewer(key: string): ViewerMetrics {
    let viewer = this.#viewers.get(key);
    if (!viewer) {
      viewer = new ViewerMetrics(key);
      this.#viewers.set(key, viewer);
    }
    return viewer;
  }

  readonly #handlers: HelperEventHandlers = {
    hello: (event) => this.#append('hello', { pid: event.pid, protocol: event.protocol }),
    ready: (event) => this.#append('ready', { url: event.url }),
    media: (event) => {
      if (event.event === 'prepared') {
        this.#fps = event.fps;
        this.#frames.resetTiming();
        this.#sentRate.reset();
      } else {
        // No media, nothing sent: the status must not show the last viewer's figures.
        this.#lastWindow = undefined;
        this.#recentLatencyMs = undefined;
        this.#activeClients.clear();
      }
      this.#append('media', { event: event.event, width: event.width, height: event.height, fps: event.fps });
    },
    client: (event) => {
      if (event.event === 'playing') this.#activeClients.add(event.clientId);
      if (event.event === 'closed' || event.event === 'teardown' || event.event === 'timeout') this.#activeClients.delete(event.clientId);
      this.#append('client', { event: event.event, client_id: event.clientId, address: event.address, transport: event.transport });
    },
    rejected: (event) => this.#rejections.add(event, this.#clock.nowMs()),
    // Otherwise liveness only (the supervisor's watchdog): its connection counts are not figures of a run.
    heartbeat: () => this.#rejections.tick(this.#clock.nowMs()),
    frame: (event) => {
      const tMs = this.#clock.fromMonotonicUs(event.outUs);
      const bytes = event.bytes ?? 0;
      for (const window of this.#window.add(tMs, bytes)) {
        this.#lastWindow = { fps: window.fps, sentKbps: this.#lastWindow?.sentKbps ?? 0 };
        this.#append('window', { fps: window.fps, encoded_kbps: round(window.encodedKbps, 1) }, window.endMs);
      }
      if (event.inUs === undefined) return;
      const metric = this.#frames.add({ ptsUs: event.ptsUs ?? 0, inUs: event.inUs, outUs: event.outUs, bytes, key: event.key ?? false });
      this.#recentLatencyMs = metric.latencyMs;
      this.#append('frame', {
        latency_ms: round(metric.latencyMs, 3),
        interval_ms: metric.intervalMs === undefined ? undefined : round(metric.intervalMs, 3),
        jitter_ms: round(metric.jitterMs, 3),
        frames_total: metric.framesTotal,
        bytes,
        key: event.key,
      }, tMs);
    },
    rtcp: (event) => {
      const key = viewerKey(event);
      const snapshot = this.#viewer(key).addReport(event);
      this.#append('rtcp', {
        viewer: key, address: event.address, transport: event.transport, reports: snapshot.reports,
        rtt_ms: snapshot.rttMs, jitter_ms: snapshot.jitterMs, fraction_lost: snapshot.fractionLost, packets_lost: snapshot.packetsLost,
      });
    },
    queue: (event) => {
      const key = viewerKey(event);
      this.#viewer(key).addQueue(event.unsentBytes);
      this.#append('queue', { viewer: key, address: event.address, unsent_bytes: event.unsentBytes });
    },
    stats: (event) => {
      const sentKbps = this.#sentRate.add(event.tUs, event.bytesSent);
      if (sentKbps === undefined) return;
      this.#sentKbps.add(sentKbps);
      this.#lastWindow = { fps: this.#lastWindow?.fps ?? 0, sentKbps };
      this.#append('stats', { sent_kbps: round(sentKbps, 1), bytes_sent: event.bytesSent, packets_sent: event.packetsSent }, this.#clock.fromMonotonicUs(event.tUs));
    },
    loop: (event) => this.#append('loop', { count: event.count }),
    bitrate: (event) => {
      this.#targetKbps = event.bitrateKbps;
      this.#append('bitrate', { bitrate_kbps: event.bitrateKbps, requested_kbps: event.requestedKbps });
    },
    error: (event) => this.#append('error', { code: event.code, message: event.message }),
    bye: (event) => this.#append('bye', { reason: event.reason, exit_code: event.exitCode }),
  };

  /** A controller decision: the target it set and the figures that moved it. */
  onControl(decision: Decision): void {
    this.#append('control', {
      target_kbps: decision.targetKbps,
      previous_kbps: decision.previousKbps,
      reason: decision.reason,
      viewer: decision.viewer,
      signal_from: decision.signalFrom,
      rtt_ms: decision.rttMs === undefined ? undefined : round(decision.rttMs, 2),
      queue_ms: decision.queueMs === undefined ? undefined : round(decision.queueMs, 1),
      loss: decision.loss === undefined ? undefined : round(decision.loss, 4),
      capacity_kbps: decision.capacityKbps === undefined ? undefined : round(decision.capacityKbps, 1),
    }, decision.tMs);
  }

  /** Writes what is still held back (counted rejections), before the metrics end. */
  flush(): void {
    this.#rejections.flush(this.#clock.nowMs());
  }

  /** Counts a line that was not a valid record; true for the first one of the stream. */
  onBadLine(failure: Extract<ParsedLine, { ok: false }>): boolean {
    this.#badRecords += 1;
    this.#append('bad_record', { kind: failure.kind, detail: failure.detail, line: failure.line.slice(0, 200) });
    return this.#badRecords === 1;
  }

  onEvent(event: HelperEvent): void {
    dispatchHelperEvent(event, this.#handlers);
  }

  onState(state: StreamStatus['state'], detail: object = {}): void {
    if (state === 'restarting') this.#restarts += 1;
    if (state !== 'running') {
      this.#activeClients.clear();
      this.#lastWindow = undefined;
    }
    this.#state = state;
    this.#append('state', { state, ...(snakeCaseKeys(detail) as object) });
  }

  status(): StreamStatus {
    const viewers = [...this.#viewers.values()].map((viewer) => viewer.snapshot());
    const rtts = viewers.flatMap((viewer) => (viewer.rttMs === undefined ? [] : [viewer.rttMs]));
    const losses = viewers.flatMap((viewer) => (viewer.fractionLost === undefined ? [] : [viewer.fractionLost]));
    const playing = this.#activeClients.size;
    return {
      name: this.#stream.name,
      mode: this.#stream.mode,
      state: this.#state,
      viewers: playing,
      targetKbps: this.#targetKbps,
      sentKbps: this.#lastWindow?.sentKbps,
      fps: this.#lastWindow?.fps,
      latencyMs: this.#recentLatencyMs,
      rttMs: rtts.length > 0 ? Math.max(...rtts) : undefined,
      lossPct: losses.length > 0 ? Math.max(...losses) * 100 : undefined,
      silentViewers: Math.max(0, playing - viewers.filter((viewer) => viewer.reports > 0).length),
    };
  }

  summary(): StreamSummary {
    return {
      stream: this.#stream.name,
      mode: this.#stream.mode,
      file: this.#stream.file,
      ...this.#frames.summary(),
      meanSentKbps: this.#sentKbps.mean(),
      restarts: this.#restarts,
      badRecords: this.#badRecords,
      rejected: this.#rejections.totals(),
      viewers: [...this.#viewers.values()].map((viewer) => viewer.summary()),
    };
  }
}
