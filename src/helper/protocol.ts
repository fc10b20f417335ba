// The helper's stdout records (docs/protocol.md), parsed once into typed values.
import {
  SOURCE_STATES,
  type CrashRequest,
  type FeedbackOrigin,
  type HelperEvent,
  type HelperEventType,
  type ViewerTransport,
  type TwccGroup,
} from './events.ts';
import {
  FieldError,
  fraction,
  numberArray,
  oneOf,
  optionalBoolean,
  optionalNumber,
  optionalString,
  requiredNumber,
  requiredString,
  type RawRecord,
} from './raw-fields.ts';

export const PROTOCOL_VERSION = 4;

export type ParseFailureKind = 'not_json' | 'not_object' | 'unknown_type' | 'bad_field';

export type ParsedLine =
  { ok: true; event: HelperEvent } | { ok: false; kind: ParseFailureKind; detail: string; line: string };

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
    throw new FieldError(
      `"send_us", "arrival_us" and "group_bytes" must have one entry per frame, got ${sendUs.length}, ${arrivalUs.length}, ${bytes.length}`,
    );
  }
  return sendUs.map((send, i) => ({ sendUs: send, arrivalUs: arrivalUs[i]!, bytes: bytes[i]! }));
}

/** Who sent an RTCP packet: its SSRC, and the viewer when the helper knows its address. */
function origin(raw: RawRecord): FeedbackOrigin {
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

/** A crash record's request, present when the record has `serving`. */
function crashRequest(raw: RawRecord): CrashRequest | undefined {
  const serving = optionalBoolean(raw, 'serving');
  if (serving === undefined) return undefined;
  return compact({
    serving,
    clientId: optionalNumber(raw, 'client_id'),
    address: optionalString(raw, 'address'),
    port: optionalNumber(raw, 'port'),
    method: optionalString(raw, 'method'),
    url: optionalString(raw, 'url'),
    transport: optionalString(raw, 'transport'),
  });
}

const TRANSPORTS = ['udp', 'tcp', 'webrtc'] as const;

function optionalTransport(raw: RawRecord): ViewerTransport | undefined {
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
    event: oneOf(raw, 'event', [
      'connected',
      'closed',
      'playing',
      'teardown',
      'timeout',
      'skipping',
      'resumed',
    ] as const),
    clientId: requiredNumber(raw, 'client_id'),
    address: optionalString(raw, 'address'),
    port: optionalNumber(raw, 'port'),
    transport: optionalTransport(raw),
    userAgent: optionalString(raw, 'user_agent'),
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
  memory: (raw) => ({
    type: 'memory',
    heapInUseBytes: requiredNumber(raw, 'heap_in_use_bytes'),
    heapFreeBytes: requiredNumber(raw, 'heap_free_bytes'),
    rssKiB: requiredNumber(raw, 'rss_kib'),
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
  feedback_refused: (raw) => ({
    type: 'feedback_refused',
    tUs: requiredNumber(raw, 't_us'),
    mount: optionalString(raw, 'mount'),
    encoder: optionalNumber(raw, 'encoder'),
    strangerPackets: requiredNumber(raw, 'stranger_packets'),
    overRatePackets: requiredNumber(raw, 'over_rate_packets'),
    strangerAddress: optionalString(raw, 'stranger_address'),
  }),
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
  source: (raw) => ({ type: 'source', state: oneOf(raw, 'state', SOURCE_STATES), error: optionalString(raw, 'error') }),
  source_stats: (raw) => ({
    type: 'source_stats',
    fps: requiredNumber(raw, 'fps'),
    kbps: requiredNumber(raw, 'kbps'),
    width: optionalNumber(raw, 'width'),
    height: optionalNumber(raw, 'height'),
    reconnects: requiredNumber(raw, 'reconnects'),
  }),
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
  crash: (raw) => ({ type: 'crash', signal: requiredString(raw, 'signal'), request: crashRequest(raw) }),
  whep: (raw) =>
    oneOf(raw, 'event', ['answer', 'refused'] as const) === 'answer'
      ? {
          type: 'whep',
          event: 'answer',
          session: requiredString(raw, 'session'),
          clientId: requiredNumber(raw, 'client_id'),
          sdp: requiredString(raw, 'sdp'),
        }
      : {
          type: 'whep',
          event: 'refused',
          session: requiredString(raw, 'session'),
          status: requiredNumber(raw, 'status'),
          reason: requiredString(raw, 'reason'),
          message: requiredString(raw, 'message'),
        },
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
