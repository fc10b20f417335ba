// The helper's command line and environment (docs/protocol.md), built from typed settings in one place.
import type { DynamicTransport, EncoderPreset } from '../config/options.ts';
import type { Credentials } from '../front-door/auth.ts';
import type { HelperSpec } from '../streams/plan.ts';

/** What every helper is told alike; the picture size is each video's own (HelperSpec.picture). */
export interface OutputFormat {
  /** 0 keeps the file's frame rate. */
  fps: number;
  /** x264's speed preset (the helper's --encoder-preset). */
  encoderPreset: EncoderPreset;
}

export interface ViewerLimits {
  /** Seconds without a request or RTCP before a viewer's session is reaped. */
  sessionTimeoutS: number;
  /** RTSP sessions at once per mount; the helper refuses more with 453. */
  maxViewers: number;
  /** Of them, from one client address (the helper's mounts together). */
  maxViewersPerAddress: number;
  /** Seconds a connection without a session may go without a request (whole seconds at the helper). */
  idleTimeoutS: number;
  /** RTSP connections at once. */
  maxConnections: number;
}

/** How a live source is pulled: on demand, kept `lingerS` after its last viewer, or always. */
export interface LiveSettings {
  lingerS: number;
  alwaysOn: boolean;
}

function liveArgs(live: LiveSettings): string[] {
  return ['--linger', String(live.lingerS), ...(live.alwaysOn ? ['--always-on'] : [])];
}

/** A live source's URI goes in the environment, as credentials do: it may hold a password. */
export function helperSourceEnv(helper: HelperSpec): Record<string, string> {
  return helper.uri === undefined ? {} : { RTSP_HELPER_URI: helper.uri };
}

/** How WebRTC viewers reach the helper. */
export interface WebrtcSettings {
  ports: { min: number; max: number } | undefined;
  connectTimeoutS: number;
  rtx: boolean;
}

/** STUN and TURN servers go in the environment: a TURN URI holds a password. */
export function helperIceEnv(iceServers: readonly string[]): Record<string, string> {
  return { RTSP_HELPER_ICE_SERVERS: iceServers.join(' ') };
}

/** What a dynamic mount does differently. */
export interface DynamicSettings {
  /** Which transports its viewers may use (the helper's --transport-policy). */
  transport: DynamicTransport;
  /** Viewers with an encoder of their own at once (the helper's --encoders). */
  encoders: number;
}

/**
 * One helper serves a video's static mount (--mount, --bitrate) and its dynamic one
 * (--adaptive-mount, --adaptive-bitrate) from one decode. The dynamic mount asks its viewers for
 * fast feedback and sends each to the transport whose signal it can follow (--transport-policy);
 * the static one takes what they ask.
 */
export function helperArgs(
  helper: HelperSpec,
  host: string,
  format: OutputFormat,
  limits: ViewerLimits,
  dynamic: DynamicSettings,
  live: LiveSettings,
  webrtc: WebrtcSettings,
  credentials?: Credentials,
): string[] {
  const mountArgs = helper.streams.flatMap((stream) =>
    stream.mode === 'static'
      ? ['--mount', stream.mount, '--bitrate', String(stream.startBitrateKbps)]
      : [
          '--adaptive-mount',
          stream.mount,
          '--adaptive-bitrate',
          String(stream.startBitrateKbps),
          '--transport-policy',
          dynamic.transport,
          '--encoders',
          String(dynamic.encoders),
        ],
  );
  return [
    ...(helper.uri === undefined ? ['--file', helper.file] : ['--live', ...liveArgs(live)]),
    ...mountArgs,
    '--host',
    host,
    '--port',
    String(helper.port),
    '--width',
    String(helper.picture.width),
    '--height',
    String(helper.picture.height),
    '--fps',
    String(format.fps),
    '--encoder-preset',
    format.encoderPreset,
    '--audio',
    helper.audio?.codec ?? 'none',
    '--session-timeout',
    String(limits.sessionTimeoutS),
    '--max-viewers',
    String(limits.maxViewers),
    '--max-viewers-per-address',
    String(limits.maxViewersPerAddress),
    '--idle-timeout',
    String(Math.ceil(limits.idleTimeoutS)),
    '--max-connections',
    String(limits.maxConnections),
    '--webrtc-connect-timeout',
    String(webrtc.connectTimeoutS),
    ...(webrtc.ports ? ['--webrtc-ports', `${webrtc.ports.min}-${webrtc.ports.max}`] : []),
    ...(webrtc.rtx ? [] : ['--no-webrtc-rtx']),
    ...(credentials?.basic ? ['--auth-basic'] : []),
  ];
}

/**
 * Credentials and the nonce key go in the environment: a command line is readable by every local
 * user. Empty values say "no authentication" over any the supervisor itself inherited.
 */
export function helperAuthEnv(credentials: Credentials | undefined): Record<string, string> {
  if (!credentials) return { RTSP_HELPER_AUTH: '', RTSP_HELPER_AUTH_KEY: '' };
  return {
    RTSP_HELPER_AUTH: `${credentials.user}:${credentials.password}`,
    RTSP_HELPER_AUTH_KEY: credentials.key.toString('hex'),
  };
}
