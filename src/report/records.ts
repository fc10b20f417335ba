// The records of metrics.ndjson that the report draws (docs/metrics.md), parsed once at the edge.
// A line is a record the report knows, a record it ignores (other types), or bad (not JSON).

export type StreamMode = 'static' | 'dynamic';

export interface HeaderStream {
  name: string;
  mode: StreamMode;
  file: string;
  startBitrateKbps: number | undefined;
}

export interface HeaderRecord {
  type: 'header';
  startedAt: string | undefined;
  streams: HeaderStream[];
}

interface Timed {
  stream: string;
  tMs: number;
}

export interface FrameRecord extends Timed {
  type: 'frame';
  latencyMs: number | undefined;
  jitterMs: number | undefined;
  framesTotal: number | undefined;
}
export interface WindowRecord extends Timed {
  type: 'window';
  fps: number | undefined;
}
/** Records about one encoder name it when the stream ran more than one (a dynamic mount with
 * an encoder per viewer); undefined: the stream's only one. */
interface OfEncoder {
  encoder: number | undefined;
}
export interface StatsRecord extends Timed, OfEncoder {
  type: 'stats';
  sentKbps: number | undefined;
}
export interface RtcpRecord extends Timed {
  type: 'rtcp';
  viewer: string;
  transport: string | undefined;
  rttMs: number | undefined;
  jitterMs: number | undefined;
  fractionLost: number | undefined;
  cadenceMs: number | undefined;
}
export interface TwccRecord extends Timed {
  type: 'twcc';
  viewer: string;
}
export interface FeedbackIssueRecord extends Timed {
  type: 'feedback_issue';
  /** `*` on a record that counts a second's overflow of one reason, over its viewers. */
  viewer: string;
  count: number;
}
export interface ControlRecord extends Timed, OfEncoder {
  type: 'control';
  targetKbps: number | undefined;
}
export interface BitrateRecord extends Timed, OfEncoder {
  type: 'bitrate';
  bitrateKbps: number | undefined;
}
export interface ClientRecord extends Timed {
  type: 'client';
  event: string | undefined;
  clientId: number | undefined;
  address: string | undefined;
  transport: string | undefined;
  /** The client's User-Agent. */
  client: string | undefined;
}
export interface QueueRecord extends Timed {
  type: 'queue';
  viewer: string;
}
export interface EndRecord {
  type: 'end';
  tMs: number;
}

export type MetricRecord =
  | HeaderRecord
  | FrameRecord
  | WindowRecord
  | StatsRecord
  | RtcpRecord
  | TwccRecord
  | FeedbackIssueRecord
  | ControlRecord
  | BitrateRecord
  | ClientRecord
  | QueueRecord
  | EndRecord;

export type ParsedLine = { kind: 'record'; record: MetricRecord } | { kind: 'ignored' } | { kind: 'bad' };

type Raw = Record<string, unknown>;

/** A finite number, or undefined: fields of records written by another version may differ. */
export const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;
export const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function parseHeader(raw: Raw): HeaderRecord {
  const rawStreams = Array.isArray(raw.streams) ? (raw.streams as unknown[]) : [];
  const streams = rawStreams.flatMap((entry): HeaderStream[] => {
    if (typeof entry !== 'object' || entry === null) return [];
    const stream = entry as Raw;
    const name = str(stream.name);
    const mode = stream.mode === 'static' || stream.mode === 'dynamic' ? stream.mode : undefined;
    if (name === undefined || mode === undefined) return [];
    return [{ name, mode, file: str(stream.file) ?? '', startBitrateKbps: num(stream.startBitrateKbps) }];
  });
  return { type: 'header', startedAt: str(raw.started_at), streams };
}

/** The timed record of a known type, or undefined for a type the report does not draw. */
function parseTimed(type: string, raw: Raw, stream: string, tMs: number): MetricRecord | undefined {
  switch (type) {
    case 'frame':
      return {
        type,
        stream,
        tMs,
        latencyMs: num(raw.latency_ms),
        jitterMs: num(raw.jitter_ms),
        framesTotal: num(raw.frames_total),
      };
    case 'window':
      return { type, stream, tMs, fps: num(raw.fps) };
    case 'stats':
      return { type, stream, tMs, encoder: num(raw.encoder), sentKbps: num(raw.sent_kbps) };
    case 'rtcp':
      return {
        type,
        stream,
        tMs,
        viewer: str(raw.viewer) ?? '?',
        transport: str(raw.transport),
        rttMs: num(raw.rtt_ms),
        jitterMs: num(raw.jitter_ms),
        fractionLost: num(raw.fraction_lost),
        cadenceMs: num(raw.cadence_ms),
      };
    case 'twcc':
      return { type, stream, tMs, viewer: str(raw.viewer) ?? '?' };
    case 'feedback_issue':
      return { type, stream, tMs, viewer: str(raw.viewer) ?? '?', count: num(raw.count) ?? 1 };
    case 'control':
      return { type, stream, tMs, encoder: num(raw.encoder), targetKbps: num(raw.target_kbps) };
    case 'bitrate':
      return { type, stream, tMs, encoder: num(raw.encoder), bitrateKbps: num(raw.bitrate_kbps) };
    case 'client':
      return {
        type,
        stream,
        tMs,
        event: str(raw.event),
        clientId: num(raw.client_id),
        address: str(raw.address),
        transport: str(raw.transport),
        client: str(raw.user_agent),
      };
    case 'queue':
      return { type, stream, tMs, viewer: str(raw.viewer) ?? '?' };
    default:
      return undefined;
  }
}

/** One line of metrics.ndjson. Never throws: a line that is not a JSON object is `bad`. */
export function parseLine(line: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { kind: 'bad' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { kind: 'bad' };
  const raw = value as Raw;
  const type = str(raw.type);
  if (type === 'header') return { kind: 'record', record: parseHeader(raw) };
  const tMs = num(raw.t_ms);
  if (type === 'end') return { kind: 'record', record: { type, tMs: tMs ?? 0 } };
  const stream = str(raw.stream);
  if (type === undefined || stream === undefined || tMs === undefined) return { kind: 'ignored' };
  const record = parseTimed(type, raw, stream, tMs);
  return record === undefined ? { kind: 'ignored' } : { kind: 'record', record };
}
