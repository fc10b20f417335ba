// The helper's command line and environment (docs/protocol.md), built from typed settings in one place.
import type { DynamicTransport } from '../config/options.ts';
import type { Credentials } from '../front-door/auth.ts';
import type { StreamSpec } from '../streams/plan.ts';

export interface OutputFormat {
  width: number;
  height: number;
  /** 0 keeps the file's frame rate. */
  fps: number;
}

export interface ViewerLimits {
  /** Seconds without a request or RTCP before a viewer's session is reaped. */
  sessionTimeoutS: number;
  /** RTSP sessions at once; the helper refuses more with 453. */
  maxViewers: number;
  /** Seconds a connection without a session may go without a request (whole seconds at the helper). */
  idleTimeoutS: number;
  /** RTSP connections at once. */
  maxConnections: number;
}

/**
 * A dynamic mount asks its viewers for fast feedback (--adaptive) and sends each of them to the
 * transport whose signal it can follow (--transport-policy); a static one takes what they ask.
 */
export function helperArgs(
  stream: StreamSpec, host: string, format: OutputFormat, limits: ViewerLimits, dynamicTransport: DynamicTransport, credentials?: Credentials,
): string[] {
  return [
    '--file', stream.file,
    '--mount', stream.mount,
    '--host', host,
    '--port', String(stream.helperPort),
    '--bitrate', String(stream.startBitrateKbps),
    '--width', String(format.width),
    '--height', String(format.height),
    '--fps', String(format.fps),
    '--session-timeout', String(limits.sessionTimeoutS),
    '--max-viewers', String(limits.maxViewers),
    '--idle-timeout', String(Math.ceil(limits.idleTimeoutS)),
    '--max-connections', String(limits.maxConnections),
    ...(credentials?.basic ? ['--auth-basic'] : []),
    ...(stream.mode === 'dynamic' ? ['--adaptive', '--transport-policy', dynamicTransport] : []),
  ];
}

/**
 * Credentials and the nonce key go in the environment: a command line is readable by every local
 * user. Empty values say "no authentication" over any the supervisor itself inherited.
 */
export function helperAuthEnv(credentials: Credentials | undefined): Record<string, string> {
  if (!credentials) return { RTSP_HELPER_AUTH: '', RTSP_HELPER_AUTH_KEY: '' };
  return { RTSP_HELPER_AUTH: `${credentials.user}:${credentials.password}`, RTSP_HELPER_AUTH_KEY: credentials.key.toString('hex') };
}
