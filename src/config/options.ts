// Serve options: normalized once from the raw CLI values, with errors that quote the bad value.
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { SAMPLE_VIDEOS } from '../inputs/sample-videos.ts';
import { typed, UsageError } from './usage-error.ts';
import { videoInputs, type VideoInput } from './video-inputs.ts';
import type { Size } from '../streams/picture.ts';

/** Viewer credentials (--auth): RTSP Digest, and Basic when asked. */
export interface AuthOptions {
  user: string;
  password: string;
  /** Accept Basic as well (the password then crosses the network in clear). */
  basic: boolean;
}

/** Which transports the dynamic mounts take (the helpers' --transport-policy). */
export const DYNAMIC_TRANSPORTS = ['auto', 'udp', 'tcp'] as const;
export type DynamicTransport = (typeof DYNAMIC_TRANSPORTS)[number];
export const DEFAULT_DYNAMIC_TRANSPORT: DynamicTransport = 'auto';

/** x264's speed presets the helpers offer, the ones `npm run bench:encoder` measured (docs/encoder.md). */
export const ENCODER_PRESETS = ['ultrafast', 'superfast', 'veryfast'] as const;
export type EncoderPreset = (typeof ENCODER_PRESETS)[number];
/** Most picture per bit for its CPU (docs/encoder.md); the helper's own default too. */
export const DEFAULT_ENCODER_PRESET: EncoderPreset = 'superfast';

export interface ServeOptions {
  /** The user's files, absolute, each maybe named; none: the samples. */
  videos: VideoInput[];
  host: string;
  port: number;
  firstHelperPort: number;
  /** The HTTP side (dashboard, /metrics, API) on `host`; 0 turns it off. */
  httpPort: number;
  durationS: number | undefined;
  staticBitrateKbps: number;
  startBitrateKbps: number;
  minBitrateKbps: number;
  maxBitrateKbps: number;
  /** auto: viewers known to report rarely are sent from UDP to TCP; udp: any transport; tcp: TCP only. */
  dynamicTransport: DynamicTransport;
  /** x264's speed preset for every encoder; the helper pairs it with its profile. */
  encoderPreset: EncoderPreset;
  /** Dynamic mounts: viewers with an encoder (and a bitrate) of their own at once; later ones share. 0: one encoder for all. */
  encodersPerVideo: number;
  /** --width/--height: every video at this size; undefined: each at its own, within maxSize. */
  size: Size | undefined;
  /** --max-size: a video larger than this is shrunk to fit, keeping its shape; none is enlarged. */
  maxSize: Size;
  /** 0 keeps each file's frame rate. */
  fps: number;
  /** false (--no-audio): no mount sends audio. */
  audio: boolean;
  /** A live source stays pulled this long after its last viewer left. */
  lingerS: number;
  /** Live sources are pulled from the start, watched or not. */
  alwaysOn: boolean;
  outDir: string;
  quiet: boolean;
  /** GST_DEBUG for the helpers: their log is parsed into `log` records. */
  gstDebug: string;
  /** Front door and helpers: a connection silent this long (helpers: without a session) is closed; a request must be complete within min(this, 10 s) of its first byte. */
  idleTimeoutS: number;
  /** Front door, and each helper: connections beyond this many open ones are closed at once. */
  maxConnections: number;
  /** Credentials every viewer must give, at the front door and at every helper; none when undefined. */
  auth: AuthOptions | undefined;
  /** Helpers: seconds a viewer may stay silent (no request, no RTCP) before its session is reaped. */
  sessionTimeoutS: number;
  /** Helpers: RTSP sessions per mount; more are refused with 453. */
  maxViewers: number;
  /** Helpers: RTSP sessions from one client address, a helper's mounts together; more are refused with 453. */
  maxViewersPerAddress: number;
  /** Supervisor: the longest wait between restarts of a helper; a failure after it leaves the stream failing (retried at this wait) or, for a helper that never got ready, failed. */
  restartMaxDelayS: number;
  /** WebRTC viewers: the UDP ports ICE may use, undefined: any. */
  webrtcPorts: { min: number; max: number } | undefined;
  /** WebRTC viewers: STUN and TURN servers, as webrtcbin takes them (stun://, turn(s)://USER:PASSWORD@). */
  iceServers: string[];
  /** WebRTC viewers: a session whose ICE and DTLS have not completed by then is ended. */
  webrtcConnectTimeoutS: number;
  /** WebRTC viewers: what a browser NACKs is sent again (RTX). */
  webrtcRtx: boolean;
}

/**
 * The largest picture served unless asked: an adaptive viewer's encoder costs about 3.3 ms of CPU
 * a frame at 1280x720 (10 % of a core at 30 fps) against 6.3 ms at 1920x1080 and 1.4 ms at
 * 640x360 (docs/benchmarks.md, "Picture size"): at 720p the default 8 encoders of a video fit
 * in about one core, at 1080p five would.
 */
export const DEFAULT_MAX_SIZE = '1280x720';

/** Warnings and errors: what the metrics keep of GStreamer's log. */
export const DEFAULT_GST_DEBUG = '*:2';

/** Front door limits (the other limits, on request size, are fixed: src/front-door/). */
export const DEFAULT_IDLE_TIMEOUT_S = 30;
export const DEFAULT_HTTP_PORT = 8080;
export const DEFAULT_MAX_CONNECTIONS = 256;
export const DEFAULT_SESSION_TIMEOUT_S = 60;
export const DEFAULT_MAX_VIEWERS = 20;
/** Half a mount's: one client cannot lock everyone else out (issue 21). */
export const DEFAULT_MAX_VIEWERS_PER_ADDRESS = 10;
export const DEFAULT_RESTART_MAX_DELAY_S = 30;
/** Encoders a core holds beside the decode (docs/encoder.md, "How many encoders"). */
export const DEFAULT_ENCODERS_PER_VIDEO = 8;
/** RFC 9725 sets no bound; ICE and DTLS take well under a second on a LAN, a few over TURN. */
export const DEFAULT_WEBRTC_CONNECT_TIMEOUT_S = 30;
/** A camera is not loaded by nobody, and a viewer who reconnects at once finds it running. */
export const DEFAULT_LINGER_S = 10;

export interface RawServeOptions {
  videos?: unknown;
  host?: unknown;
  port?: unknown;
  helperPorts?: unknown;
  http?: unknown;
  duration?: unknown;
  staticBitrate?: unknown;
  startBitrate?: unknown;
  minBitrate?: unknown;
  maxBitrate?: unknown;
  dynamicTransport?: unknown;
  encoderPreset?: unknown;
  encodersPerVideo?: unknown;
  width?: unknown;
  height?: unknown;
  maxSize?: unknown;
  fps?: unknown;
  audio?: unknown;
  linger?: unknown;
  alwaysOn?: unknown;
  out?: unknown;
  quiet?: unknown;
  gstDebug?: unknown;
  idleTimeout?: unknown;
  maxConnections?: unknown;
  sessionTimeout?: unknown;
  webrtcPorts?: unknown;
  iceServer?: unknown;
  webrtcConnectTimeout?: unknown;
  webrtcRtx?: unknown;
  maxViewers?: unknown;
  maxViewersPerAddress?: unknown;
  restartMaxDelay?: unknown;
  auth?: unknown;
  authBasic?: unknown;
}

/** yargs gathers a repeated flag into a list: once is the only meaning a single value has. */
function once(name: string, raw: unknown): unknown {
  if (Array.isArray(raw)) throw new UsageError(`--${name} was given ${raw.length} times (${typed(raw)}); give it once`);
  return raw;
}

function integer(name: string, given: unknown, min: number, max: number): number {
  const raw = once(name, given);
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got ${typed(raw)}`);
  }
  return value;
}

function positiveSeconds(name: string, given: unknown): number | undefined {
  const raw = once(name, given);
  if (raw === undefined) return undefined;
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new UsageError(`--${name} must be a number of seconds above 0, got ${typed(raw)}`);
  }
  return value;
}

function idleSeconds(raw: unknown): number {
  const value = positiveSeconds('idle-timeout', raw)!;
  if (value > 3600) throw new UsageError(`--idle-timeout must be at most 3600 seconds, got ${typed(raw)}`);
  return value;
}

/** A config file may say `audio: false`; anything else than a boolean is a mistake to report. */
function flag(name: string, given: unknown): boolean {
  const raw = once(name, given);
  if (typeof raw !== 'boolean') throw new UsageError(`--${name} must be true or false, got ${typed(raw)}`);
  return raw;
}

function portRange(name: string, given: unknown): { min: number; max: number } {
  const raw = once(name, given);
  const match = typeof raw === 'string' ? /^(\d{1,5})-(\d{1,5})$/.exec(raw) : null;
  const [min, max] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
  if (!match || min < 1 || max > 65535 || min > max)
    throw new UsageError(`--${name} must be MIN-MAX, two UDP ports with MIN <= MAX, got ${typed(raw)}`);
  return { min, max };
}

/** stun:HOST:PORT as browsers write it, or webrtcbin's stun://HOST:PORT, turn(s)://USER:PASSWORD@HOST:PORT. */
function iceServers(given: unknown): string[] {
  const list = given === undefined ? [] : Array.isArray(given) ? given : [given];
  return list.map((raw) => {
    const uri = typeof raw === 'string' ? raw.replace(/^stun:(?!\/\/)/, 'stun://') : '';
    if (!/^(stun|turns?):\/\/([^\s@/]+@)?[^\s@/:]+(:\d{1,5})?$/.test(uri))
      throw new UsageError(
        `--ice-server must be stun://HOST:PORT or turn(s)://USER:PASSWORD@HOST:PORT, got ${typed(raw)}`,
      );
    return uri;
  });
}

function text(name: string, given: unknown): string {
  const raw = once(name, given);
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw new UsageError(`--${name} must be a non-empty string, got ${typed(raw)}`);
  }
  return raw;
}

// The user may not hold a colon (RFC 7617); the password may. Both end up in RTSP headers, where
// quotes and backslashes would need escaping that clients do not agree on.
function credentials(raw: unknown, basic: unknown): AuthOptions | undefined {
  if (raw === undefined || raw === '') {
    if (basic === true) throw new UsageError('--auth-basic needs --auth user:password');
    return undefined;
  }
  const value = typeof raw === 'string' ? raw : '';
  const colon = value.indexOf(':');
  if (colon <= 0 || colon === value.length - 1 || /[\x00-\x1f\x7f"\\]/.test(value)) {
    throw new UsageError(
      '--auth must be user:password, both non-empty, without control characters, quotes or backslashes',
    );
  }
  return { user: value.slice(0, colon), password: value.slice(colon + 1), basic: basic === true };
}

/** The options as the metrics header records them: never the password. */
/** The options as a run records them: no password, and a live source by its masked URI only. */
export function recordedOptions(options: ServeOptions): object {
  const { auth, videos, ...rest } = options;
  return {
    ...rest,
    videos: videos.map(({ name, file }) => ({ name, file })),
    auth: auth && { user: auth.user, basic: auth.basic },
  };
}

function dynamicTransport(raw: unknown): DynamicTransport {
  if (!DYNAMIC_TRANSPORTS.includes(raw as DynamicTransport)) {
    throw new UsageError(`--dynamic-transport must be one of ${DYNAMIC_TRANSPORTS.join(', ')}, got ${typed(raw)}`);
  }
  return raw as DynamicTransport;
}

function encoderPreset(raw: unknown): EncoderPreset {
  if (!ENCODER_PRESETS.includes(raw as EncoderPreset)) {
    throw new UsageError(`--encoder-preset must be one of ${ENCODER_PRESETS.join(', ')}, got ${typed(raw)}`);
  }
  return raw as EncoderPreset;
}

function evenSize(name: string, raw: unknown): number {
  const value = integer(name, raw, 16, 4096);
  // I420 and x264 need even dimensions.
  if (value % 2 !== 0) throw new UsageError(`--${name} must be even, got ${value}`);
  return value;
}

/**
 * `baseDir`: where relative paths on the command line start, the folder the user typed the command
 * in (a config file's paths arrive resolved against its own folder: readConfigFile).
 */
function fixedSize(width: unknown, height: unknown): Size | undefined {
  if (width === undefined && height === undefined) return undefined;
  if (width === undefined || height === undefined)
    throw new UsageError(
      `give both --width and --height, or neither (each video at its own size within --max-size), got only --${width === undefined ? 'height' : 'width'}`,
    );
  return { width: evenSize('width', width), height: evenSize('height', height) };
}

function maxSize(given: unknown): Size {
  const raw = once('max-size', given);
  const match = typeof raw === 'string' ? /^(\d+)x(\d+)$/.exec(raw.trim()) : null;
  if (!match) throw new UsageError(`--max-size must be WIDTHxHEIGHT, e.g. 1280x720, got ${typed(raw)}`);
  return { width: evenSize('max-size width', match[1]), height: evenSize('max-size height', match[2]) };
}

export function normalizeServeOptions(raw: RawServeOptions, baseDir = process.cwd()): ServeOptions {
  const videos = videoInputs(raw.videos, baseDir);
  const port = integer('port', raw.port, 1, 65535);
  const firstHelperPort = raw.helperPorts === undefined ? port + 1 : integer('helper-ports', raw.helperPorts, 1, 65535);
  const options: ServeOptions = {
    videos,
    host: text('host', raw.host),
    port,
    firstHelperPort,
    httpPort: integer('http', raw.http ?? DEFAULT_HTTP_PORT, 0, 65535),
    durationS: positiveSeconds('duration', raw.duration),
    staticBitrateKbps: integer('static-bitrate', raw.staticBitrate, 50, 100_000),
    startBitrateKbps: integer('start-bitrate', raw.startBitrate, 50, 100_000),
    minBitrateKbps: integer('min-bitrate', raw.minBitrate, 50, 100_000),
    maxBitrateKbps: integer('max-bitrate', raw.maxBitrate, 50, 100_000),
    dynamicTransport: dynamicTransport(raw.dynamicTransport ?? DEFAULT_DYNAMIC_TRANSPORT),
    encoderPreset: encoderPreset(raw.encoderPreset ?? DEFAULT_ENCODER_PRESET),
    encodersPerVideo: integer('encoders-per-video', raw.encodersPerVideo ?? DEFAULT_ENCODERS_PER_VIDEO, 0, 64),
    size: fixedSize(raw.width, raw.height),
    maxSize: maxSize(raw.maxSize ?? DEFAULT_MAX_SIZE),
    fps: integer('fps', raw.fps, 0, 240),
    audio: flag('audio', raw.audio ?? true),
    lingerS: integer('linger', raw.linger ?? DEFAULT_LINGER_S, 0, 3600),
    alwaysOn: flag('always-on', raw.alwaysOn ?? false),
    outDir: resolve(baseDir, text('out', raw.out)),
    quiet: raw.quiet === true,
    gstDebug: raw.gstDebug === undefined ? DEFAULT_GST_DEBUG : text('gst-debug', raw.gstDebug),
    idleTimeoutS: idleSeconds(raw.idleTimeout ?? DEFAULT_IDLE_TIMEOUT_S),
    // The helper's own bounds (docs/protocol.md): a connection count, at most an hour idle.
    maxConnections: integer('max-connections', raw.maxConnections ?? DEFAULT_MAX_CONNECTIONS, 1, 10_000),
    // The helper's own bounds (docs/protocol.md): whole seconds, a session count.
    sessionTimeoutS: integer('session-timeout', raw.sessionTimeout ?? DEFAULT_SESSION_TIMEOUT_S, 1, 3600),
    maxViewers: integer('max-viewers', raw.maxViewers ?? DEFAULT_MAX_VIEWERS, 1, 10_000),
    maxViewersPerAddress: integer(
      'max-viewers-per-address',
      raw.maxViewersPerAddress ?? DEFAULT_MAX_VIEWERS_PER_ADDRESS,
      1,
      10_000,
    ),
    restartMaxDelayS: integer('restart-max-delay', raw.restartMaxDelay ?? DEFAULT_RESTART_MAX_DELAY_S, 1, 3600),
    auth: credentials(raw.auth, raw.authBasic),
    webrtcPorts: raw.webrtcPorts === undefined ? undefined : portRange('webrtc-ports', raw.webrtcPorts),
    iceServers: iceServers(raw.iceServer),
    webrtcConnectTimeoutS: integer(
      'webrtc-connect-timeout',
      raw.webrtcConnectTimeout ?? DEFAULT_WEBRTC_CONNECT_TIMEOUT_S,
      1,
      300,
    ),
    webrtcRtx: flag('webrtc-rtx', raw.webrtcRtx ?? true),
  };
  checkRelations(options, videos.length);
  return options;
}

function checkRelations(options: ServeOptions, videoCount: number): void {
  const { minBitrateKbps: min, startBitrateKbps: start, maxBitrateKbps: max } = options;
  if (!(min <= start && start <= max)) {
    throw new UsageError(`need --min-bitrate <= --start-bitrate <= --max-bitrate, got ${min} <= ${start} <= ${max}`);
  }
  const servedCount = videoCount > 0 ? videoCount : SAMPLE_VIDEOS.length;
  const lastHelperPort = options.firstHelperPort + servedCount - 1; // one helper, one port, per video
  if (lastHelperPort > 65535) {
    throw new UsageError(
      `helper ports ${options.firstHelperPort}..${lastHelperPort} go past 65535; lower --helper-ports`,
    );
  }
  if (options.port >= options.firstHelperPort && options.port <= lastHelperPort) {
    throw new UsageError(
      `--port ${options.port} falls inside the helper ports ${options.firstHelperPort}..${lastHelperPort}; change --helper-ports`,
    );
  }
  const http = options.httpPort;
  if (http !== 0 && (http === options.port || (http >= options.firstHelperPort && http <= lastHelperPort))) {
    throw new UsageError(
      `--http ${http} is the RTSP port or one of the helper ports ${options.firstHelperPort}..${lastHelperPort}; choose another`,
    );
  }
}

/** The common end of a command line's yargs parser: unknown options refused, --help/-h, no
 *  --version, and every parse failure thrown as a UsageError for `runMain`, never a process exit. */
export function strictCommandLine<T>(parser: Argv<T>): Argv<T> {
  return parser
    .strict()
    .help()
    .alias('help', 'h')
    .version(false)
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? new UsageError(message);
    });
}
