// One stream's metrics: turns its helper's records into the figures of docs/metrics.md, appends
// them to metrics.ndjson as they happen, and answers the live status and the run summary.
import type { ViewerTransport } from '../helper/events.ts';
import type { Decision } from '../control/controller.ts';
import type { StreamEvent } from '../feedback/stream-feedback.ts';
import { dispatch, viewerLeft, type Handlers } from '../helper/events.ts';
import type { ParsedLine } from '../helper/protocol.ts';
import type { StreamSpec } from '../streams/plan.ts';
import type { HelperFailure } from '../supervisor/helper-failure.ts';
import type { StreamState } from '../supervisor/helper-supervisor.ts';
import type { LastExit, SourceStatus, StreamStatus } from '../ui/status-table.ts';
import { FrameMetrics, type FrameSummary } from './frame-metrics.ts';
import { Histogram } from './histogram.ts';
import { snakeCaseKeys } from './snake-case.ts';
import type { NdjsonWriter } from './ndjson-writer.ts';
import { ViewerMetrics, type ViewerSummary } from './viewer-metrics.ts';
import { CountedLog } from './counted-log.ts';
import { rejectionFields, rejectionLog } from './rejections.ts';
import { TwccMetrics } from './twcc-metrics.ts';
import { viewerKey } from './viewer-key.ts';
import { round, roundOptional } from './round.ts';
import { encoderField, ONLY_ENCODER, StreamEncoders } from './stream-encoders.ts';
import { controlFields, rtcpFields, twccFields } from './record-fields.ts';
import type { LiveViewer, StreamCounts, StreamLive } from './stream-live.ts';

export interface RunClock {
  /** ms since the run started, for a monotonic µs time from a helper. */
  fromMonotonicUs(us: number): number;
  nowMs(): number;
}

export interface StreamSummary extends FrameSummary, StreamCounts {
  stream: string;
  mode: StreamSpec['mode'];
  file: string;
  meanSentKbps: number | undefined;
  badRecords: number;
  viewers: ViewerSummary[];
}

export class StreamRecorder {
  readonly #stream: StreamSpec;
  readonly #writer: NdjsonWriter;
  readonly #clock: RunClock;
  readonly #encoders = new StreamEncoders();
  readonly #frames = new FrameMetrics((encoder) => {
    const fps = this.#encoders.find(encoder)?.fps;
    return fps ? 1000 / fps : undefined;
  });
  readonly #sentKbps = new Histogram();
  readonly #viewers = new Map<string, ViewerMetrics>();
  readonly #twcc = new Map<string, TwccMetrics>();
  /** Playing viewers by client id: where they play from (for those that have not reported yet), and their encoder. */
  readonly #activeClients = new Map<
    number,
    {
      address: string | undefined;
      transport: ViewerTransport | undefined;
      userAgent: string | undefined;
      encoder: number;
    }
  >();
  /** The stream's target while no encoder runs: the start (or static) bitrate. */
  readonly #startKbps: number;
  #recentLatencyMs: number | undefined;
  /** A live source's (its helper's `source` and `source_stats` records). */
  #source: SourceStatus = {
    state: 'idle',
    error: undefined,
    fps: undefined,
    kbps: undefined,
    width: undefined,
    height: undefined,
    reconnects: 0,
  };
  #restarts = 0;
  readonly #helperExits: Record<string, number> = {};
  #lastExit: LastExit | undefined;
  #badRecords = 0;
  readonly #rejections = rejectionLog((fields, tMs) => this.#append('rejected', fields, tMs));
  readonly #feedbackIssues = new CountedLog<{
    reason: string;
    viewer: string;
    source: string;
    action: string;
    address?: string;
  }>(
    (fields, tMs) => this.#append('feedback_issue', fields, tMs),
    ({ reason, source, action }) => ({ reason, viewer: '*', source, action }),
  );
  #state: StreamStatus['state'] = 'starting';

  constructor(stream: StreamSpec, writer: NdjsonWriter, clock: RunClock) {
    this.#stream = stream;
    this.#writer = writer;
    this.#clock = clock;
    this.#startKbps = stream.startBitrateKbps;
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

  readonly #handlers: Handlers<StreamEvent> = {
    hello: (event) => this.#append('hello', { pid: event.pid, protocol: event.protocol }),
    ready: (event) => this.#append('ready', { url: event.url }),
    media: (event) => {
      const encoder = event.encoder ?? ONLY_ENCODER;
      if (event.event === 'prepared') {
        this.#encoders.of(encoder).fps = event.fps;
      } else {
        // No media, nothing sent: the status must not show its viewers' figures.
        this.#encoders.delete(encoder);
        this.#frames.forgetEncoder(encoder);
        for (const [clientId, client] of this.#activeClients)
          if (client.encoder === encoder) this.#activeClients.delete(clientId);
        if (this.#encoders.size === 0) this.#recentLatencyMs = undefined;
      }
      this.#append('media', {
        event: event.event,
        ...encoderField(event.encoder),
        width: event.width,
        height: event.height,
        fps: event.fps,
      });
    },
    client: (event) => {
      if (event.event === 'playing')
        this.#activeClients.set(event.clientId, {
          address: event.address,
          transport: event.transport,
          userAgent: event.userAgent,
          encoder: event.encoder ?? ONLY_ENCODER,
        });
      if (viewerLeft(event.event)) this.#activeClients.delete(event.clientId);
      this.#append('client', {
        event: event.event,
        client_id: event.clientId,
        address: event.address,
        transport: event.transport,
        user_agent: event.userAgent,
        ...encoderField(event.encoder),
        unsent_bytes: event.unsentBytes,
        skipped_ms: event.skippedMs,
        skipped_bytes: event.skippedBytes,
      });
    },
    rejected: (event) => this.#rejections.add(rejectionFields(event), this.#clock.nowMs()),
    // Otherwise liveness only (the supervisor's watchdog): its connection counts are not figures of a run.
    heartbeat: () => {
      const nowMs = this.#clock.nowMs();
      this.#rejections.tick(nowMs);
      this.#feedbackIssues.tick(nowMs);
    },
    // Asked for by tests and benches (`memory` command), not a figure of a run.
    memory: () => {},
    frame: (event) => {
      const tMs = this.#clock.fromMonotonicUs(event.outUs);
      const bytes = event.bytes ?? 0;
      const figures = this.#encoders.of(event.encoder);
      for (const window of figures.window.add(tMs, bytes)) {
        figures.lastWindow = { fps: window.fps, sentKbps: figures.lastWindow?.sentKbps };
        this.#append(
          'window',
          { ...encoderField(event.encoder), fps: window.fps, encoded_kbps: round(window.encodedKbps, 1) },
          window.endMs,
        );
      }
      if (event.inUs === undefined) return;
      const metric = this.#frames.add(
        { ptsUs: event.ptsUs ?? 0, inUs: event.inUs, outUs: event.outUs, bytes, key: event.key ?? false },
        event.encoder ?? ONLY_ENCODER,
      );
      this.#recentLatencyMs = metric.latencyMs;
      this.#append(
        'frame',
        {
          ...encoderField(event.encoder),
          latency_ms: round(metric.latencyMs, 3),
          interval_ms: roundOptional(metric.intervalMs, 3),
          jitter_ms: round(metric.jitterMs, 3),
          // Frames the stream's encoders sent, all of them: one series per stream.
          frames_total: metric.framesTotal,
          // Where the frame was in its file: which source frame a viewer was sent.
          file_ms: event.fileUs === undefined ? undefined : round(event.fileUs / 1000, 3),
          bytes,
          key: event.key,
        },
        tMs,
      );
    },
    report: (event) => {
      const tMs = this.#clock.fromMonotonicUs(event.tUs);
      this.#viewer(event.viewer).addReport(event, tMs);
      this.#append('rtcp', rtcpFields(event), tMs);
    },
    twcc: (event) => {
      const key = viewerKey(event);
      const tMs = this.#clock.fromMonotonicUs(event.tUs);
      this.#viewer(key).addTwcc(tMs, event.transport);
      let metrics = this.#twcc.get(key);
      if (!metrics) this.#twcc.set(key, (metrics = new TwccMetrics()));
      const second = metrics.add(tMs, event);
      if (second) this.#appendTwcc(key, second);
    },
    feedback_issue: (event) => {
      if (event.viewer !== '*') this.#viewer(event.viewer).addIssue(event.reason);
      const { reason, viewer, source, action, address } = event;
      this.#feedbackIssues.add(
        { reason, viewer, source, action, ...(address ? { address } : {}) },
        this.#clock.fromMonotonicUs(event.tUs),
        event.count,
      );
    },
    queue: (event) => {
      const key = viewerKey(event);
      this.#viewer(key).addQueue(event.unsentBytes);
      this.#append('queue', { viewer: key, address: event.address, unsent_bytes: event.unsentBytes });
    },
    stats: (event) => {
      const figures = this.#encoders.of(event.encoder);
      const sentKbps = figures.sentRate.add(event.tUs, event.bytesSent);
      if (sentKbps === undefined) return;
      this.#sentKbps.add(sentKbps);
      figures.lastWindow = { fps: figures.lastWindow?.fps, sentKbps };
      this.#append(
        'stats',
        {
          ...encoderField(event.encoder),
          sent_kbps: round(sentKbps, 1),
          bytes_sent: event.bytesSent,
          packets_sent: event.packetsSent,
        },
        this.#clock.fromMonotonicUs(event.tUs),
      );
    },
    loop: (event) => this.#append('loop', { count: event.count }),
    source: (event) => {
      this.#source = { ...this.#source, state: event.state, error: event.error };
      if (event.state !== 'live' && event.state !== 'lost')
        this.#source = { ...this.#source, fps: undefined, kbps: undefined };
      this.#append('source', { state: event.state, error: event.error });
    },
    source_stats: (event) => {
      if (this.#source.state === 'idle') return;
      const { fps, kbps, width, height, reconnects } = event;
      this.#source = {
        ...this.#source,
        fps,
        kbps,
        width: width ?? this.#source.width,
        height: height ?? this.#source.height,
        reconnects,
      };
      this.#append('source_stats', { fps, kbps: round(kbps, 1), width, height, reconnects });
    },
    bitrate: (event) => {
      // A dynamic mount's encoder is set above the controller's target (encoder-gain.ts); the
      // target is what the status shows.
      if (event.encoder !== undefined || this.#encoders.has(ONLY_ENCODER)) {
        const figures = this.#encoders.of(event.encoder);
        if (this.#stream.mode === 'static') figures.targetKbps = event.bitrateKbps;
        figures.appliedKbps = event.bitrateKbps;
      }
      this.#append('bitrate', {
        ...encoderField(event.encoder),
        bitrate_kbps: event.bitrateKbps,
        requested_kbps: event.requestedKbps,
      });
    },
    error: (event) => this.#append('error', { code: event.code, message: event.message }),
    bye: (event) => this.#append('bye', { reason: event.reason, exit_code: event.exitCode }),
    // The request's fields as the helper wrote them (client_id, address, method, url, transport).
    crash: (event) =>
      this.#append('crash', { signal: event.signal, ...(snakeCaseKeys(event.request) as object | undefined) }),
    // A reply to the WHEP gateway (src/whep/), routed to no mount: its token opens the session.
    whep: () => {},
  };

  #appendTwcc(viewer: string, second: NonNullable<ReturnType<TwccMetrics['flush']>>): void {
    this.#append('twcc', twccFields(viewer, second), second.startMs);
  }

  /** A controller decision for one encoder: the target it set and the figures that moved it. */
  onControl(decision: Decision, encoder: number): void {
    this.#encoders.of(encoder).targetKbps = decision.targetKbps;
    this.#append('control', { ...encoderField(encoder), ...controlFields(decision) }, decision.tMs);
  }

  /** Writes what is still held back (counted rejections and feedback issues, TWCC seconds), before the metrics end. */
  flush(): void {
    const nowMs = this.#clock.nowMs();
    this.#rejections.flush(nowMs);
    this.#feedbackIssues.flush(nowMs);
    for (const [viewer, metrics] of this.#twcc) {
      const second = metrics.flush();
      if (second) this.#appendTwcc(viewer, second);
    }
  }

  /** Counts a line that was not a valid record; true for the first one of the stream. */
  onBadLine(failure: Extract<ParsedLine, { ok: false }>): boolean {
    this.#badRecords += 1;
    this.#append('bad_record', { kind: failure.kind, detail: failure.detail, line: failure.line.slice(0, 200) });
    return this.#badRecords === 1;
  }

  onEvent(event: StreamEvent): void {
    dispatch(event, this.#handlers);
  }

  onState(state: StreamState): void {
    if (state.kind === 'restarting' || state.kind === 'failing') this.#restarts += 1;
    const end = helperEndOf(state);
    if (end) {
      this.#helperExits[end.exit] = (this.#helperExits[end.exit] ?? 0) + 1;
      this.#lastExit = { ...end, tMs: this.#clock.nowMs() };
    }
    if (state.kind !== 'running') {
      this.#activeClients.clear();
      for (const encoder of this.#encoders.ids()) this.#frames.forgetEncoder(encoder);
      this.#encoders.clear();
    }
    this.#state = state.kind;
    const { kind, ...detail } = state;
    this.#append('state', { state: kind, ...(snakeCaseKeys(detail) as object) });
  }

  status(): StreamStatus {
    const nowMs = this.#clock.nowMs();
    // The viewers playing now: a departed viewer's last figures are no longer the stream's.
    const viewers = [...this.#activeClients.keys()].flatMap((clientId) => {
      const viewer = this.#viewers.get(viewerKey({ clientId }));
      return viewer === undefined ? [] : [viewer.snapshot(nowMs)];
    });
    const rtts = viewers.flatMap((viewer) => (viewer.rttMs === undefined ? [] : [viewer.rttMs]));
    const losses = viewers.flatMap((viewer) => (viewer.fractionLost === undefined ? [] : [viewer.fractionLost]));
    const playing = this.#activeClients.size;
    const windows = this.#encoders.lastWindows();
    const sent = windows.flatMap((window) => (window.sentKbps === undefined ? [] : [window.sentKbps]));
    const rates = windows.flatMap((window) => (window.fps === undefined ? [] : [window.fps]));
    const targets = this.#encoders.targetsKbps();
    return {
      name: this.#stream.name,
      mode: this.#stream.mode,
      state: this.#state,
      viewers: playing,
      targetsKbps: targets.length > 0 ? targets : [this.#startKbps],
      // What the mount sends in all; its encoders' frame rates are alike, the lowest is shown. Not
      // known before an encoder's first `stats` record (or window): never 0 beside a frame rate.
      sentKbps: sent.length > 0 ? sent.reduce((sum, kbps) => sum + kbps, 0) : undefined,
      fps: rates.length > 0 ? Math.min(...rates) : undefined,
      latencyMs: this.#recentLatencyMs,
      rttMs: rtts.length > 0 ? Math.max(...rtts) : undefined,
      lossPct: losses.length > 0 ? Math.max(...losses) * 100 : undefined,
      silentViewers: Math.max(0, playing - viewers.filter((viewer) => viewer.reporting).length),
      signals: [
        ...new Set(viewers.filter((viewer) => viewer.signal !== undefined).map((viewer) => viewer.signalLabel)),
      ].sort(),
      helperExitCount: Object.values(this.#helperExits).reduce((sum, count) => sum + count, 0),
      lastExit: this.#lastExit,
      source: this.#stream.uri === undefined ? undefined : { ...this.#source },
    };
  }

  live(): StreamLive {
    const nowMs = this.#clock.nowMs();
    return {
      ...this.status(),
      ...this.#counts(),
      appliedKbps: this.#encoders.appliedKbps(),
      framesTotal: this.#frames.framesTotal,
      viewerList: [...this.#activeClients].map(([clientId, { address, transport, userAgent, encoder }]) => {
        const key = viewerKey({ clientId });
        const snapshot = (this.#viewers.get(key) ?? new ViewerMetrics(key)).snapshot(nowMs);
        const figures = this.#encoders.find(encoder);
        // Where it plays from is known at PLAY; its feedback may not say (a TCP viewer's queue does not).
        return {
          ...snapshot,
          address: snapshot.address ?? address,
          transport: snapshot.transport ?? transport,
          userAgent,
          encoder: encoder === ONLY_ENCODER ? undefined : encoder,
          targetKbps: figures?.targetKbps ?? this.#startKbps,
          sentKbps: figures?.lastWindow?.sentKbps,
        } satisfies LiveViewer;
      }),
    };
  }

  summary(): StreamSummary {
    return {
      stream: this.#stream.name,
      mode: this.#stream.mode,
      file: this.#stream.file,
      ...this.#frames.summary(),
      ...this.#counts(),
      meanSentKbps: this.#sentKbps.mean(),
      badRecords: this.#badRecords,
      viewers: [...this.#viewers.values()].map((viewer) => viewer.summary()),
    };
  }

  #counts(): StreamCounts {
    return {
      restarts: this.#restarts,
      helperExits: { ...this.#helperExits },
      rejected: this.#rejections.totals(),
      feedbackIssues: this.#feedbackIssues.totals(),
    };
  }
}

/** The helper's end a state reports, if it reports one. */
function helperEndOf(state: StreamState): HelperFailure | undefined {
  switch (state.kind) {
    case 'restarting': {
      const { kind, retryAtMs, ...end } = state;
      return end;
    }
    case 'failing': {
      const { kind, retryAtMs, failures, ...end } = state;
      return end;
    }
    case 'failed': {
      // Its `reason` says why it was given up, not why the supervisor killed the helper.
      const { kind, reason, ...end } = state;
      return end;
    }
    case 'starting':
    case 'running':
    case 'stopped':
      return undefined;
  }
}
