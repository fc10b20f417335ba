// The JSON of /api/v1/streams (and of each event on /api/v1/events): snake_case keys with units,
// as in metrics.ndjson (docs/http.md).
import type { ViewerTransport } from '../helper/events.ts';
import { basename } from 'node:path';
import type { LiveViewer } from '../metrics/stream-live.ts';
import { round } from '../metrics/round.ts';
import { snakeCaseKeys } from '../metrics/snake-case.ts';
import type { SourceState } from '../helper/events.ts';
import type { AudioCodec } from '../streams/audio.ts';
import type { LastExit } from '../ui/status-table.ts';
import type { LiveSource, LiveStream } from './live-source.ts';

export interface ViewerJson {
  id: string;
  /** Its client's User-Agent (`LibVLC/3.0.18 (LIVE555 Streaming Media v2022.10.01)`), null when it sent none. */
  client: string | null;
  address: string | null;
  transport: ViewerTransport | null;
  signal: string;
  reports: number;
  rtt_ms: number | null;
  jitter_ms: number | null;
  loss_pct: number | null;
  packets_lost: number | null;
  unsent_bytes: number | null;
  /** The encoder it plays and that encoder's target and sent bitrate. */
  encoder: number | null;
  target_kbps: number | null;
  sent_kbps: number | null;
}

/** The request a crash record named, as the helper wrote it (docs/protocol.md, `crash`). */
export interface CrashRequestJson {
  serving: boolean;
  client_id?: number;
  address?: string;
  port?: number;
  method?: string;
  url?: string;
  transport?: string;
}

/** The last end of a stream's helper. */
export interface LastExitJson {
  /** Seconds since the run started. */
  t_s: number;
  /** `SIGABRT`, `code_3`, `not_started`: as the `exit` label of abr_stream_helper_exits_total. */
  exit: string;
  /** For people: `was killed by SIGABRT`. */
  description: string;
  /** Why the supervisor killed it (watchdog, not ready in time), when it did. */
  reason: string | null;
  /** What it said was wrong (its last `error` record, `code: message`) when it never got ready. */
  start_error: string | null;
  /** The last fatal message of its log (an assertion, a critical). */
  fatal_message: string | null;
  request: CrashRequestJson | null;
}

export interface StreamJson {
  name: string;
  mount: string;
  url: string;
  mode: 'static' | 'dynamic';
  file: string;
  /** What its viewers get: the picture's size and frame rate (null: the file's own, undeclared), the codecs. */
  sends: {
    width: number;
    height: number;
    fps: number | null;
    video: 'h264';
    /** null: no audio stream; else its codec, and whether it is the file's own (not encoded again) */
    audio: { codec: AudioCodec; passthrough: boolean; from: string } | null;
  };
  state: string;
  /** A live source (null: a file): its URI with secrets masked, its state and figures as it comes in. */
  source: {
    uri: string;
    state: SourceState;
    error: string | null;
    fps: number | null;
    kbps: number | null;
    width: number | null;
    height: number | null;
    reconnects: number;
  } | null;
  /** The helper's process while it runs. */
  helper_pid: number | null;
  viewers: number;
  /** Each running encoder's, lowest first: one per viewer on a dynamic mount with per-viewer encoders. */
  targets_kbps: number[];
  applied_kbps: number[];
  sent_kbps: number | null;
  fps: number | null;
  latency_ms: number | null;
  rtt_ms: number | null;
  loss_pct: number | null;
  signals: string[];
  frames_total: number;
  restarts: number;
  /** Its helper's ends, by how they came (the `exit` of last_exit). */
  helper_exits: Record<string, number>;
  last_exit: LastExitJson | null;
  rejected: Record<string, number>;
  feedback_issues: Record<string, number>;
  viewer_list: ViewerJson[];
}

export interface StreamsJson {
  t_s: number;
  streams: StreamJson[];
}

const figure = (value: number | undefined, digits: number): number | null =>
  value === undefined ? null : round(value, digits);

function viewerJson(viewer: LiveViewer): ViewerJson {
  return {
    id: viewer.key,
    client: viewer.userAgent ?? null,
    address: viewer.address ?? null,
    transport: viewer.transport ?? null,
    signal: viewer.signalLabel,
    reports: viewer.reports,
    rtt_ms: figure(viewer.rttMs, 2),
    jitter_ms: figure(viewer.jitterMs, 2),
    loss_pct: figure(viewer.fractionLost === undefined ? undefined : viewer.fractionLost * 100, 2),
    packets_lost: viewer.packetsLost ?? null,
    unsent_bytes: viewer.unsentBytes ?? null,
    encoder: viewer.encoder ?? null,
    target_kbps: figure(viewer.targetKbps, 0),
    sent_kbps: figure(viewer.sentKbps, 1),
  };
}

function lastExitJson(last: LastExit): LastExitJson {
  return {
    t_s: round(last.tMs / 1000, 1),
    exit: last.exit,
    description: last.lastExit,
    reason: last.reason ?? null,
    start_error: last.startError ?? null,
    fatal_message: last.fatalMessage ?? null,
    request: last.request === undefined ? null : (snakeCaseKeys(last.request) as CrashRequestJson),
  };
}

export function streamJson({ spec, url, live, helperPid }: LiveStream): StreamJson {
  return {
    name: spec.name,
    mount: spec.mount,
    url,
    mode: spec.mode,
    file: spec.uri === undefined ? basename(spec.file) : spec.file,
    sends: {
      width: spec.picture.width,
      height: spec.picture.height,
      fps: spec.picture.fps ?? null,
      video: 'h264',
      audio: spec.audio
        ? { codec: spec.audio.codec, passthrough: spec.audio.passthrough, from: spec.audio.source }
        : null,
    },
    state: live.state,
    source:
      live.source === undefined
        ? null
        : {
            uri: spec.file,
            state: live.source.state,
            error: live.source.error ?? null,
            fps: live.source.fps ?? null,
            kbps: live.source.kbps === undefined ? null : round(live.source.kbps, 0),
            width: live.source.width ?? null,
            height: live.source.height ?? null,
            reconnects: live.source.reconnects,
          },
    helper_pid: helperPid ?? null,
    viewers: live.viewers,
    targets_kbps: live.targetsKbps.map((kbps) => round(kbps, 0)),
    applied_kbps: live.appliedKbps.map((kbps) => round(kbps, 0)),
    sent_kbps: figure(live.sentKbps, 1),
    fps: figure(live.fps, 1),
    latency_ms: figure(live.latencyMs, 2),
    rtt_ms: figure(live.rttMs, 2),
    loss_pct: figure(live.lossPct, 2),
    signals: live.signals,
    frames_total: live.framesTotal,
    restarts: live.restarts,
    helper_exits: live.helperExits,
    last_exit: live.lastExit === undefined ? null : lastExitJson(live.lastExit),
    rejected: live.rejected,
    feedback_issues: live.feedbackIssues,
    viewer_list: live.viewerList.map(viewerJson),
  };
}

export function streamsJson(source: LiveSource): StreamsJson {
  return { t_s: round(source.elapsedS(), 1), streams: source.streams().map(streamJson) };
}
