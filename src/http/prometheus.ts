// GET /metrics: Prometheus text format (prom-client). Every scrape reads the live figures once and
// sets every metric from them, so one scrape is one moment; series of viewers that left are gone.
// Names and units follow Prometheus conventions; docs/http.md lists them.
import { Counter, Gauge, Registry } from 'prom-client';
import type { CounterName, FrontDoorCounters } from '../front-door/counters.ts';
import { SOURCE_STATES } from '../helper/events.ts';
import { sampleProcessIfAlive } from '../metrics/process-stats.ts';
import type { HttpCounterName, HttpCounters } from './counters.ts';
import type { StreamState } from '../supervisor/helper-supervisor.ts';
import type { LiveSource } from './live-source.ts';

const STATES = [
  'starting',
  'running',
  'restarting',
  'failing',
  'failed',
  'stopped',
] as const satisfies readonly StreamState['kind'][];

/** Each front-door counter as a label of one of four metrics. */
const FRONT_DOOR: Readonly<
  Record<CounterName, { metric: 'connections' | 'responses' | 'closed' | 'authRejections'; label: string }>
> = {
  accepted: { metric: 'connections', label: 'accepted' },
  refused: { metric: 'connections', label: 'refused' },
  evicted: { metric: 'connections', label: 'evicted' },
  options: { metric: 'responses', label: '200' },
  redirects: { metric: 'responses', label: '302' },
  badRequest: { metric: 'responses', label: '400' },
  unauthorized: { metric: 'responses', label: '401' },
  authFailed: { metric: 'authRejections', label: 'auth_failed' },
  authThrottled: { metric: 'authRejections', label: 'auth_throttled' },
  notFound: { metric: 'responses', label: '404' },
  tooLarge: { metric: 'responses', label: '413' },
  uriTooLong: { metric: 'responses', label: '414' },
  unavailable: { metric: 'responses', label: '503' },
  versionNotSupported: { metric: 'responses', label: '505' },
  interleaved: { metric: 'closed', label: 'interleaved' },
  idleTimeouts: { metric: 'closed', label: 'idle_timeout' },
  headerTimeouts: { metric: 'closed', label: 'header_timeout' },
};

/** The HTTP side's counters, labels of abr_http_auth_rejections_total as the front door's are of its own. */
const HTTP: Readonly<Record<HttpCounterName, string>> = { authFailed: 'auth_failed', authThrottled: 'auth_throttled' };

const STREAM = ['stream', 'mode'] as const;
const VIEWER = ['stream', 'viewer', 'transport'] as const;

export class PrometheusExporter {
  readonly #registry = new Registry();
  readonly #source: LiveSource;
  readonly #http: () => HttpCounters;
  readonly #m;

  /** `http`: the counters of the HTTP side that serves this exporter. */
  constructor(source: LiveSource, http: () => HttpCounters) {
    this.#source = source;
    this.#http = http;
    const registers = [this.#registry];
    const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
      new Gauge({ name, help, labelNames, registers });
    const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
      new Counter({ name, help, labelNames, registers });
    this.#m = {
      frames: counter('abr_stream_frames_total', 'Frames the payloader sent', STREAM),
      sent: gauge('abr_stream_sent_bytes_per_second', 'RTP bytes sent per second over the last second', STREAM),
      target: gauge(
        'abr_stream_target_bytes_per_second',
        "Rate asked for: a static mount's bitrate, the lowest of a dynamic mount's controller targets (one per encoder)",
        STREAM,
      ),
      applied: gauge('abr_stream_applied_bytes_per_second', "The lowest of its encoders' bitrate settings", STREAM),
      viewerTarget: gauge(
        'abr_viewer_target_bytes_per_second',
        "Rate asked for the viewer's encoder (its own on a dynamic mount with per-viewer encoders)",
        VIEWER,
      ),
      fps: gauge('abr_stream_frames_per_second', 'Frames sent over the last second', STREAM),
      latency: gauge(
        'abr_stream_pipeline_latency_seconds',
        "A recent frame's time in the encoder and payloader",
        STREAM,
      ),
      viewers: gauge('abr_stream_viewers', 'Viewers playing', STREAM),
      restarts: counter('abr_stream_restarts_total', 'Helper restarts', STREAM),
      helperExits: counter(
        'abr_stream_helper_exits_total',
        'Ends of the helper, by how it ended: a signal (SIGABRT), an exit code (code_3), not_started',
        [...STREAM, 'exit'],
      ),
      lastExit: gauge(
        'abr_stream_last_helper_exit_info',
        "The helper's last end: how, the method and client address of the request it named when it crashed; always 1",
        [...STREAM, 'exit', 'method', 'address'],
      ),
      state: gauge('abr_stream_state', 'The stream state: 1 for the current one', ['stream', 'mode', 'state']),
      sourceState: gauge(
        'abr_source_state',
        "A live source's state (idle, connecting, live, lost): 1 for the current one",
        ['stream', 'state'],
      ),
      sourceFps: gauge('abr_source_frames_per_second', 'Frames a live source sent over the last second', ['stream']),
      sourceBytes: gauge('abr_source_bytes_per_second', "A live source's compressed video over the last second", [
        'stream',
      ]),
      sourceReconnects: gauge('abr_source_reconnects', 'Times a live source was reconnected since it was last pulled', [
        'stream',
      ]),
      rejected: counter('abr_stream_rejected_total', 'Requests and connections the helper refused, by reason', [
        'stream',
        'reason',
      ]),
      feedbackIssues: counter('abr_stream_feedback_issues_total', 'Viewer feedback corrected or dropped, by reason', [
        'stream',
        'reason',
      ]),
      rtt: gauge('abr_viewer_rtt_seconds', 'Round-trip time from the latest receiver report', VIEWER),
      jitter: gauge('abr_viewer_jitter_seconds', 'Interarrival jitter the viewer reported', VIEWER),
      loss: gauge('abr_viewer_loss_ratio', 'Fraction of packets lost in the latest report interval (0..1)', VIEWER),
      packetsLost: gauge('abr_viewer_packets_lost', 'Cumulative packets lost the viewer reported', VIEWER),
      unsent: gauge('abr_viewer_unsent_bytes', "Bytes in the server's send queue towards a TCP viewer", VIEWER),
      signal: gauge('abr_viewer_signal_info', "The viewer's feedback (twcc, tcp-queue, rr, none): always 1", [
        ...VIEWER,
        'signal',
      ]),
      connections: counter('abr_front_door_connections_total', 'Front-door connections, by outcome', ['outcome']),
      responses: counter('abr_front_door_responses_total', 'Front-door responses, by status', ['status']),
      closed: counter('abr_front_door_closed_total', 'Front-door connections it closed, by reason', ['reason']),
      authRejections: counter(
        'abr_front_door_auth_rejections_total',
        'Front-door 401s for wrong credentials (auth_failed) or unchecked ones from a throttled address (auth_throttled)',
        ['reason'],
      ),
      httpAuthRejections: counter(
        'abr_http_auth_rejections_total',
        'HTTP 401s for wrong credentials (auth_failed) or unchecked ones from a throttled address (auth_throttled)',
        ['reason'],
      ),
      helperCpu: counter('abr_helper_cpu_seconds_total', "The helper process's CPU time (user + system)", ['stream']),
      helperRss: gauge('abr_helper_resident_memory_bytes', "The helper process's resident memory", ['stream']),
      // The supervisor itself, under the names every exporter uses (prom-client's default set
      // also has gauges named *_total, which promtool rejects).
      cpu: counter('process_cpu_seconds_total', 'CPU time of the supervisor (user + system)', []),
      rss: gauge('process_resident_memory_bytes', "The supervisor's resident memory", []),
      start: gauge('process_start_time_seconds', 'When the supervisor started, seconds since the Unix epoch', []),
    };
  }

  get contentType(): string {
    return this.#registry.contentType;
  }

  async render(): Promise<string> {
    const m = this.#m;
    for (const metric of Object.values(m)) metric.reset();
    for (const { spec, live, helperPid } of this.#source.streams()) {
      const labels = { stream: spec.name, mode: spec.mode };
      m.frames.inc(labels, live.framesTotal);
      m.restarts.inc(labels, live.restarts);
      for (const [exit, count] of Object.entries(live.helperExits)) m.helperExits.inc({ ...labels, exit }, count);
      if (live.lastExit) {
        const { exit, request } = live.lastExit;
        m.lastExit.set({ ...labels, exit, method: request?.method ?? '', address: request?.address ?? '' }, 1);
      }
      m.viewers.set(labels, live.viewers);
      const perSecond = { sent: live.sentKbps, target: live.targetsKbps[0], applied: live.appliedKbps[0] } as const;
      for (const [name, kbps] of Object.entries(perSecond))
        if (kbps !== undefined) m[name as keyof typeof perSecond].set(labels, (kbps * 1000) / 8);
      if (live.fps !== undefined) m.fps.set(labels, live.fps);
      if (live.latencyMs !== undefined) m.latency.set(labels, live.latencyMs / 1000);
      for (const state of STATES) m.state.set({ ...labels, state }, live.state === state ? 1 : 0);
      if (live.source !== undefined) {
        const source = live.source;
        for (const state of SOURCE_STATES)
          m.sourceState.set({ stream: spec.name, state }, source.state === state ? 1 : 0);
        if (source.fps !== undefined) m.sourceFps.set({ stream: spec.name }, source.fps);
        if (source.kbps !== undefined) m.sourceBytes.set({ stream: spec.name }, (source.kbps * 1000) / 8);
        m.sourceReconnects.set({ stream: spec.name }, source.reconnects);
      }
      for (const [reason, count] of Object.entries(live.rejected)) m.rejected.inc({ stream: spec.name, reason }, count);
      for (const [reason, count] of Object.entries(live.feedbackIssues))
        m.feedbackIssues.inc({ stream: spec.name, reason }, count);
      for (const viewer of live.viewerList) {
        const of = { stream: spec.name, viewer: viewer.key, transport: viewer.transport ?? 'unknown' };
        if (viewer.rttMs !== undefined) m.rtt.set(of, viewer.rttMs / 1000);
        if (viewer.targetKbps !== undefined) m.viewerTarget.set(of, (viewer.targetKbps * 1000) / 8);
        if (viewer.jitterMs !== undefined) m.jitter.set(of, viewer.jitterMs / 1000);
        if (viewer.fractionLost !== undefined) m.loss.set(of, viewer.fractionLost);
        if (viewer.packetsLost !== undefined) m.packetsLost.set(of, viewer.packetsLost);
        if (viewer.unsentBytes !== undefined) m.unsent.set(of, viewer.unsentBytes);
        m.signal.set({ ...of, signal: viewer.signal ?? 'none' }, 1);
      }
      const helper = helperPid === undefined ? undefined : sampleProcessIfAlive(helperPid);
      if (helper) {
        m.helperCpu.inc({ stream: spec.name }, helper.cpuS);
        m.helperRss.set({ stream: spec.name }, helper.rssKiB * 1024);
      }
    }
    this.#frontDoor(this.#source.frontDoor());
    const http = this.#http();
    for (const [name, reason] of Object.entries(HTTP))
      m.httpAuthRejections.inc({ reason }, http[name as HttpCounterName]);
    const cpu = process.cpuUsage();
    m.cpu.inc((cpu.user + cpu.system) / 1e6);
    m.rss.set(process.memoryUsage.rss());
    m.start.set(Math.round(Date.now() / 1000 - process.uptime()));
    return this.#registry.metrics();
  }

  #frontDoor(counters: FrontDoorCounters): void {
    for (const [name, { metric, label }] of Object.entries(FRONT_DOOR)) {
      const value = counters[name as CounterName];
      if (metric === 'connections') this.#m.connections.inc({ outcome: label }, value);
      else if (metric === 'responses') this.#m.responses.inc({ status: label }, value);
      else this.#m[metric].inc({ reason: label }, value);
    }
  }
}
