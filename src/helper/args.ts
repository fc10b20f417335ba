// The helper's command line (docs/protocol.md), built from typed settings in one place.
import type { StreamSpec } from '../streams/plan.ts';

export interface OutputFormat {
  width: number;
  height: number;
  /** 0 keeps the file's frame rate. */
  fps: number;
}

export function helperArgs(stream: StreamSpec, host: string, format: OutputFormat): string[] {
  return [
    '--file', stream.file,
    '--mount', stream.mount,
    '--host', host,
    '--port', String(stream.helperPort),
    '--bitrate', String(stream.startBitrateKbps),
    '--width', String(format.width),
    '--height', String(format.height),
    '--fps', String(format.fps),
  ];
}
