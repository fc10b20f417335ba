// What the helper's stdout records say (docs/protocol.md), as typed values: parsed once, at the
// edge, by protocol.ts.

/** A viewer's connection and session; `skipping` and `resumed`: a TCP viewer of a static mount
 * fell behind and gets no packets until it has caught up, then gets them from a key frame. */
export type ClientEventKind = 'connected' | 'closed' | 'playing' | 'teardown' | 'timeout' | 'skipping' | 'resumed';

/** The viewer's session or connection ended. */
export function viewerLeft(event: ClientEventKind): boolean {
  return event === 'closed' || event === 'teardown' || event === 'timeout';
}
/** How a viewer's packets go: RTP over UDP or interleaved in its RTSP connection, or a WebRTC peer (WHEP). */
export type ViewerTransport = 'udp' | 'tcp' | 'webrtc';
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
  | {
      type: 'media';
      event: MediaEventKind;
      mount?: string;
      encoder?: number;
      width?: number;
      height?: number;
      fps?: number;
    }
  | {
      type: 'client';
      event: ClientEventKind;
      clientId: number;
      address?: string;
      port?: number;
      transport?: ViewerTransport;
      /** Its client's User-Agent, as its first request gave it (printable, at most 100 characters). */
      userAgent?: string;
      mount?: string;
      encoder?: number;
      /** `skipping`: what waited in its socket. */
      unsentBytes?: number;
      /** `resumed`: how long and how much of the stream it missed. */
      skippedMs?: number;
      skippedBytes?: number;
    }
  /** An error response (`status`) or a connection the helper closed (no `status`), and why (snake_case). */
  | {
      type: 'rejected';
      clientId: number;
      address?: string;
      port?: number;
      reason: string;
      status?: number;
      method?: string;
      mount?: string;
    }
  | { type: 'heartbeat'; tUs: number; connections: number; sessions: number }
  /** The answer to `memory`: the heap once freed memory went back to the system (a leak grows `heapInUseBytes`). */
  | { type: 'memory'; heapInUseBytes: number; heapFreeBytes: number; rssKiB: number }
  | {
      type: 'frame';
      mount?: string;
      encoder?: number;
      ptsUs?: number;
      inUs?: number;
      outUs: number;
      fileUs?: number;
      bytes?: number;
      key?: boolean;
    }
  /** One receiver report block, as the viewer sent it, with what it can be checked against. */
  | ({ type: 'rtcp' } & FeedbackOrigin & {
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
      })
  /** One TWCC feedback packet: the packets it reports on, grouped by frame. */
  | ({ type: 'twcc' } & FeedbackOrigin & {
        feedbackCount: number;
        packets: number;
        lost: number;
        unknown: number;
        sentBytes: number;
        receivedBytes: number;
        /** Per frame: when its last received packet left (our monotonic µs), arrived (the viewer's clock, µs), its bytes received. */
        groups: TwccGroup[];
      })
  /** Feedback the helper could not parse (a truncated report, a malformed TWCC packet). */
  | ({ type: 'feedback_dropped' } & FeedbackOrigin & { reason: string })
  /**
   * RTCP the helper dropped in the last second before anyone read it (native/feedback/rtcp-gate.c): from an
   * address that is no viewer's (`strangerAddress`: the last), or past a viewer's rate.
   */
  | {
      type: 'feedback_refused';
      tUs: number;
      mount?: string;
      encoder?: number;
      strangerPackets: number;
      overRatePackets: number;
      strangerAddress?: string;
    }
  /** A TCP viewer's send queue, with the media's bytes sent so far (what the queue was fed). */
  | { type: 'queue'; mount?: string; clientId: number; address?: string; unsentBytes: number; bytesSent?: number }
  | { type: 'stats'; tUs: number; mount?: string; encoder?: number; packetsSent: number; bytesSent: number }
  | { type: 'loop'; count: number }
  /** A live source's state, once per change (native/source/source.c); `error`: the last one. */
  | { type: 'source'; state: SourceState; error?: string }
  /** A live source as it comes in, every second while it is pulled: its own size and rate. */
  | { type: 'source_stats'; fps: number; kbps: number; width?: number; height?: number; reconnects: number }
  | { type: 'bitrate'; mount?: string; encoder?: number; bitrateKbps: number; requestedKbps?: number }
  | { type: 'error'; code: string; message: string; command?: string }
  | { type: 'bye'; reason: ByeReason; exitCode: number }
  /** The helper's reply to `whep-offer`: the SDP answer for the session, or why there is none (the HTTP status to give). */
  | WhepReply
  /** The helper is dying of a fatal signal (its last record): the signal, and the request it knew of. */
  | { type: 'crash'; signal: string; request?: CrashRequest };

export type WhepReply =
  | { type: 'whep'; event: 'answer'; session: string; clientId: number; sdp: string }
  | { type: 'whep'; event: 'refused'; session: string; status: number; reason: string; message: string };

export const SOURCE_STATES = ['idle', 'connecting', 'live', 'lost'] as const;
export type SourceState = (typeof SOURCE_STATES)[number];

/** The request a crashing helper's thread was serving (`serving`), or else the last one any thread began. */
export interface CrashRequest {
  serving: boolean;
  clientId?: number;
  /** The client's end of its RTSP connection. */
  address?: string;
  port?: number;
  method?: string;
  url?: string;
  /** The request's Transport header, as the client sent it. */
  transport?: string;
}

/** A viewer's feedback packet: when it came, from which viewer, about which mount and encoder. */
export interface FeedbackOrigin {
  tUs: number;
  mount?: string;
  encoder?: number;
  /** The reporter's SSRC. */
  ssrc: number;
  clientId?: number;
  address?: string;
  transport?: ViewerTransport;
}

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
