// A bench's load: FFmpeg playing a mount over TCP, its output thrown away.
import { execa } from 'execa';

export interface FfmpegViewerOptions {
  /** Stop after this much stream; absent: until killed or the stream ends. */
  seconds?: number;
  /** false: receive the video only (stream copy), so the bench measures the server, not FFmpeg's decoder. */
  decode?: boolean;
}

export function ffmpegViewer(url: string, { seconds, decode = true }: FfmpegViewerOptions = {}) {
  return execa(
    'ffmpeg',
    [
      ...['-nostdin', '-v', 'error', '-rtsp_transport', 'tcp', '-i', url],
      ...(seconds === undefined ? [] : ['-t', String(seconds)]),
      ...(decode ? [] : ['-map', '0:v:0', '-c', 'copy']),
      ...['-f', 'null', '-'],
    ],
    { reject: false },
  );
}
