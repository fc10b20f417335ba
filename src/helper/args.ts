// The helper's command line (docs/protocol.md), built from typed settings in one place.
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
}

export function helperArgs(stream: StreamSpec, host: string, format: OutputFormat, limits: ViewerLimits): string[] {
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
  ];
}
