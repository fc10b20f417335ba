// The helper's stdout records (docs/protocol.md), parsed once into typed values.
import { FieldError, fraction, numberArray, oneOf, optionalBoolean, optionalNumber, optionalString, requiredNumber, requiredString, type RawRecord } from './raw-fields.ts';

export const PROTOCOL_VERSION = 4;

/** A viewer's connection and session; `skipping` and `resumed`: a TCP viewer of a static mount
 * fell behind and gets no packets until it has caught up, then gets them from a key frame. */
export type ClientEventKind = 'connected' | 'closed' | 'playing' | 'teardown' | 'timeout' | 'skipping' | 'resumed';

/** The viewer's session or connection ended. */
export function viewerLeft(event: ClientEventKind): boolean {
  return event === 'closed' || event === 'teardown' || event === 'timeout';
}
export type RtspTransport = 'udp' | 'tcp';
export type MediaEventKind = 'prepared' | 'unprepared';
export type ByeReason = 'quit' | 'eof' | 'signal' | 'error';

/**
 * Protocol 3: one helper serves a file at one or two mounts, from one decode. `mount` names the
 * mount a record is about and `encoder` the encoder (so the media; ids are unique in the helper):
 * a mount with per-viewer encoders runs several at once. A `client` record has both once the
 * viewer plays; a `rejected` one the mount when the request named one; a `bitrate` record without
 * an encoder acknowledges a bitrate for encoders to come, none running.
 */
export type HelperEvent =
  | { type: 'hello'; protocol: number; pid: number; gstVersion?: string }
  | { type: 'ready'; host: string; port: number; mount: string; url: string; adaptiveMount?: string; auth?: boolean }
  | { type: 'media'; event: MediaEventKind; mount?: string; encoder?: number; width?: number; height?: number; fps?: number }
  | {
      type: 'client';
      event: ClientEventKind;
      clientId: number;
      address?: string;
      port?: number;
      transport?: RtspTransport;
      mount?: string;
      encoder?: number;
      /** `skipping`: what waited in its socket. */
      unsentBytes?: number;
      /** `resumed`: how long and how much of the stream it missed. */
      skippedMs?: number;
      skippedBytes?: number;
    }
  /** An error response (`status`) or a connection the helper closed (no `status`), and why (snake_case). */
  | { type: 'rejected'; clientId: number; address?: string; port?: number; reason: string; status?: number; method?: string; mount?: string }
  | { type: 'heartbeat'; tUs: number; connections: number; sessions: number }
  | { type: 'frame'; mount?: string; encoder?: number; ptsUs?: number; inUs?: number; outUs: number; fileUs?: number; bytes?: number; key?: boolean }
  /** One receiver report block, as the viewer sent it, with what it can be checked against. */
  | {
      type: 'rtcp';
      tUs: number;
      mount?: string;
      encoder?: number;
      /** The reporter's SSRC. */
      ssrc: number;
      clientId?: number;
      address?: string;
      transport?: RtspTransport;
      /** The SSRC the block reports on, and ours (once a packet has left). */
      mediaSsrc: number;
      senderSsrc?: number;
      fractionLost: number;
      packetsLost: number;
      highestSeq: number;
      jitterUs: number;
      lsr: number;
      dlsrUs: number;
      /** How long before this report our sender report named by `lsr` left; absent when none of ours has that time. */
      srAgeUs?: number;
      /** The viewer's first sequence number and the packets sent since, when the helper knows its PLAY. */
      firstSeq?: number;
      sentPackets?: number;
    }
  /** One TWCC feedback packet: the packets it reports on, grouped by frame. */
  | {
      type: 'twcc';
      tUs: number;
      mount?: string;
      encoder?: number;
      ssrc: number;
      clientId?: number;
      address?: string;
      transport?: RtspTransport;
      feedbackCount: number;
      packets: number;
      lost: number;
      unknown: number;
      sentBytes: number;
      receivedBytes: number;
      /** Per frame: when its last received packet left (our monotonic µs), arrived (the viewer's clock, µs), its bytes received. */
      groups: TwccGroup[];
    }
  /** Feedback the helper could not parse (a truncated report, a malformed TWCC packet). */
  | { type: 'feedback_dropped'; tUs: number; mount?: string; encoder?: number; ssrc: number; clientId?: number; address?: string; transport?: RtspTransport; reason: string }
  /** A TCP viewer's send queue, with the media's bytes sent so far (what the queue was fed). */
  | { type: 'queue'; mount?: string; clientId: number; address?: string; unsentBytes: number; bytesSent?: number }
  | { type: 'stats'; tUs: number; mount?: string; encoder?: number; packetsSent: number; bytesSent: number }
  | { type: 'loop'; count: number }
  | { type: 'bitrate'; mount?: string; encoder?: number; bitrateKbps: number; requestedKbps?: number }
  | { type: 'error'; code: string; message: string; command?: string }
  | { type: 'bye'; reason: ByeReason; exitCode: number };

export interface TwccGroup {
  sendUs: number;
  arrivalUs: number;
  bytes: number;
}

export type HelperEventType = HelperEvent['type'];

/** A handler for every kind of a union tagged by `type`: the compiler rejects a missing one. */
export type Handlers<E extends { type: string }> = {
  [K in E['type']]: (event: Extract<E, { type: K }>) => void;
};

export type HelperEventHandlers = Handlers<HelperEvent>;

export function dispatch<E extends { type: string }>(event: E, handlers: Handlers<E>): void {
  (handlers[event.type as E['type']] as (event: E) => void)(event);
}

export function dispatchHelperEvent(event: HelperEvent, handlers: HelperEventHandlers): void {
  dispatch(event, handlers);
}

export type ParseFailureKind = 'not_json' | 'not_object' | 'unknown_type' | 'bad_field';

export type ParsedLine =
  | { ok: true; event: HelperEvent }
  | { ok: false; kind: ParseFailureKind; detail: string; line: string };

/** Drops undefined optional keys so events compare and print cleanly. */
function compact<T extends object>(event: T): T {
  // In place: this runs for every frame of every stream.
  const record = event as Record<string, unknown>;
  for (const key in record) if (record[key] === undefined) delete record[key];
  return event;
}

function twccGroups(raw: RawRecord): TwccGroup[] {
  const sendUs = numberArray(raw, 'send_us');
  const arrivalUs = numberArray(raw, 'arrival_us');
  const bytes = numberArray(raw, 'group_bytes');
  if (arrivalUs.length !== sendUs.length || bytes.length !== sendUs.length) {
    throw new FieldError(`"send_us", "arrival_us" and "group_bytes" must have one entry per frame, got ${sendUs.length}, ${arrivalUs.length}, ${bytes.length}`);
  }
  return sendUs.map((send, i) => ({ sendUs: send, arrivalUs: arrivalUs[i]!, bytes: bytes[i]! }));
}

/** Who sent an RTCP packet: its SSRC, and the viewer when the helper knows its address. */
function origin(raw: RawRecord) {
  return {
    tUs: requiredNumber(raw, 't_us'),
    mount: optionalString(raw, 'mount'),
    encoder: optionalNumber(raw, 'encoder'),
    ssrc: requiredNumber(raw, 'ssrc'),
    clientId: optionalNumber(raw, 'client_id'),
    address: optionalString(raw, 'address'),
    transport: optionalTransport(raw),
  };
}

const TRANSPORTS = ['udp', 'tcp'] as const;

function optionalTransport(raw: RawRecord): RtspTransport | undefined {
  return raw.transport === undefined ? undefined : oneOf(raw, 'transport', TRANSPORTS);
}

const parsers: { [K in HelperEventType]: (raw: RawRecord) => Extract<HelperEvent, { type: K }> } = {
  hello: (raw) => ({
    type: 'hello',
    protocol: requiredNumber(raw, 'protocol'),
    pid: requiredNumber(raw, 'pid'),
    gstVersion: optionalString(raw, 'gst_version'),
  }),
  ready: (raw) => ({
    type: 'ready',
    host: requiredString(raw, 'host'),
    port: requiredNumber(raw, 'port'),
    mount: requiredString(raw, 'mount'),
    url: requiredString(raw, 'url'),
    adaptiveMount: optionalString(raw, 'adaptive_mount'),
    auth: optionalBoolean(raw, 'auth'),
  }),
  media: (raw) => ({
    type: 'media',
    event: oneOf(raw, 'event', ['prepared', 'unprepared'] as const),
    mount: optionalString(raw, 'mount'),
    encoder: optionalNumber(raw, 'encoder'),
    width: optionalNumber(raw, 'width'),
    height: optionalNumber(raw, 'height'),
    fps: optionalNumber(raw, 'fps'),
  }),
  client: (raw) => ({
    type: 'client',
    event: oneOf(raw, 'event', ['connected', 'closed', 'playing', 'teardown', 'timeout', 'skipping', 'resumed'] as const),
    clientId: requiredNumber(raw, 'client_id'),
    address: optionalString(raw, 'address'),
    port: optionalNumber(raw, 'port'),
    transport: optionalTransport(raw),
    mount: optionalString(raw, 'mount'),
    encoder: optionalNumber(raw, 'encoder'),
    unsentBytes: optionalNumber(raw, 'unsent_bytes'),
    skippedMs: optionalNumber(raw, 'skipped_ms'),
    skippedBytes: optionalNumber(raw, 'skipped_bytes'),
  }),
  rejected: (raw) => ({
    type: 'rejected',
    clientId: requiredNumber(raw, 'client_id'),
    address: optionalString(raw, 'address'),
    port: optionalNumber(raw, 'port'),
    reason: requiredString(raw, 'reason'),
    status: optionalNumber(raw, 'status'),
    method: optionalString(raw, 'method'),
    mount: optionalString(raw, 'mount'),
  }),
  heartbeat: (raw) => ({
    type: 'heartbeat',
    tUs: requiredNumber(raw, 't_us'),
    connections: requiredNumber(raw, 'connections'),
    sessions: requiredNumber(raw, 'sessions'),
  }),
  frame: (raw) => ({
    type: 'frame',
    mount: optionalString(raw, 'mount'),
    encoder: optionalNumber(raw, 'encoder'),
    ptsUs: optionalNumber(raw, 'pts_us'),
    inUs: optionalNumber(raw, 'in_us'),
    outUs: requiredNumber(raw, 'out_us'),
    fileUs: optionalNumber(raw, 'file_us'),
    bytes: optionalNumber(raw, 'bytes'),
    key: optionalBoolean(raw, 'key'),
  }),
  rtcp: (raw) => ({
    type: 'rtcp',
    ...origin(raw),
    mediaSsrc: requiredNumber(raw, 'media_ssrc'),
    senderSsrc: optionalNumber(raw, 'sender_ssrc'),
    fractionLost: fraction(raw, 'fraction_lost'),
    packetsLost: requiredNumber(raw, 'packets_lost'),
    highestSeq: requiredNumber(raw, 'highest_seq'),
    jitterUs: requiredNumber(raw, 'jitter_us'),
    lsr: requiredNumber(raw, 'lsr'),
    dlsrUs: requiredNumber(raw, 'dlsr_us'),
    srAgeUs: optionalNumber(raw, 'sr_age_us'),
    firstSeq: optionalNumber(raw, 'first_seq'),
    sentPackets: optionalNumber(raw, 'sent_packets'),
  }),
  twcc: (raw) => ({
    type: 'twcc',
    ...origin(raw),
    feedbackCount: requiredNumber(raw, 'feedback_count'),
    packets: requiredNumber(raw, 'packets'),
    lost: requiredNumber(raw, 'lost'),
    unknown: requiredNumber(raw, 'unknown'),
    sentBytes: requiredNumber(raw, 'sent_bytes'),
    receivedBytes: requiredNumber(raw, 'received_bytes'),
    groups: twccGroups(raw),
  }),
  feedback_dropped: (raw) => ({ type: 'feedback_dropped', ...origin(raw), reason: requiredString(raw, 'reason') }),
  queue: (raw) => ({
    type: 'queue',
    mount: optionalString(raw, 'mount'),
    clientId: requiredNumber(raw, 'client_id'),
    address: optionalString(raw, 'address'),
    unsentBytes: requiredNumber(raw, 'unsent_bytes'),
    bytesSent: optionalNumber(raw, 'bytes_sent'),
  }),
  stats: (raw) => ({
    type: 'stats',
    tUs: requiredNumber(raw, 't_us'),
    mount: optionalString(raw, 'mount'),
    encoder: optionalNumber(raw, 'encoder'),
    packetsSent: requiredNumber(raw, 'packets_sent'),
    bytesSent: requiredNumber(raw, 'bytes_sent'),
  }),
  loop: (raw) => ({ type: 'loop', count: requiredNumber(raw, 'count') }),
  bitrate: (raw) => ({
    type: 'bitrate',
    mount: optionalString(raw, 'mount'),
    encoder: optionalNumber(raw, 'encoder'),
    bitrateKbps: requiredNumber(raw, 'bitrate_kbps'),
    requestedKbps: optionalNumber(raw, 'requested_kbps'),
  }),
  error: (raw) => ({
    type: 'error',
    code: requiredString(raw, 'code'),
    message: requiredString(raw, 'message'),
    command: optionalString(raw, 'command'),
  }),
  bye: (raw) => ({
    type: 'bye',
    reason: oneOf(raw, 'reason', ['quit', 'eof', 'signal', 'error'] as const),
    exitCode: requiredNumber(raw, 'exit_code'),
  }),
};

function isEventType(type: unknown): type is HelperEventType {
  return typeof type === 'string' && Object.hasOwn(parsers, type);
}

export function parseHelperLine(line: string): ParsedLine {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (error) {
    return { ok: false, kind: 'not_json', detail: (error as Error).message, line };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, kind: 'not_object', detail: 'a record must be a JSON object', line };
  }
  const record = raw as RawRecord;
  if (!isEventType(record.type)) {
    return { ok: false, kind: 'unknown_type', detail: `unknown record type ${JSON.stringify(record.type)}`, line };
  }
  try {
    return { ok: true, event: compact(parsers[record.type](record)) };
  } catch (error) {
    if (error instanceof FieldError) {
      return { ok: false, kind: 'bad_field', detail: `${record.type}: ${error.message}`, line };
    }
    throw error;
  }
}
