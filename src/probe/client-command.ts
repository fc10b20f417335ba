// The decoding client under the probe, as a command line and its output's parser: the native
// reader (rtspsrc, with the sender reports' clock per frame) or FFmpeg (YUV4MPEG2 of the Y plane).
import { fileURLToPath } from 'node:url';
import type { FrameParser } from './decoded-frame.ts';
import { ReaderFrameParser } from './reader-format.ts';
import type { ProbeClientKind, ProbeTransport } from './summary.ts';
import { Y4mFrameParser } from './y4m-format.ts';

/** Built by `make -C native` (the bootstrap step runs it). */
export const PROBE_READER_BINARY = fileURLToPath(new URL('../../native/build/probe-reader', import.meta.url));

/** rtpjitterbuffer's wait for a missing packet; rtspsrc's default (2 s) would hold a lossy
 *  stream's frames that long. */
export const JITTER_BUFFER_MS = 200;

export interface ClientCommand {
  file: string;
  args: string[];
  parser: FrameParser;
}

export function clientCommand(
  client: ProbeClientKind,
  url: string,
  transport: ProbeTransport,
  netns?: string,
): ClientCommand {
  const command = ((): [string, ...string[]] => {
    switch (client) {
      case 'rtspsrc':
        return [
          PROBE_READER_BINARY,
          '--location',
          url,
          '--protocols',
          transport === 'auto' ? 'udp+tcp' : transport,
          '--latency',
          String(JITTER_BUFFER_MS),
        ];
      case 'ffmpeg':
        // passthrough: every decoded frame once, none duplicated or dropped to fit a frame rate.
        return [
          'ffmpeg',
          '-nostdin',
          '-v',
          'error',
          ...(transport === 'auto' ? [] : ['-rtsp_transport', transport]),
          '-i',
          url,
          '-an',
          '-vsync',
          'passthrough',
          '-vf',
          'extractplanes=y',
          '-f',
          'yuv4mpegpipe',
          '-flush_packets',
          '1',
          'pipe:1',
        ];
    }
  })();
  const full = netns === undefined ? command : ['ip', 'netns', 'exec', netns, ...command];
  return {
    file: full[0]!,
    args: full.slice(1),
    parser: client === 'rtspsrc' ? new ReaderFrameParser() : new Y4mFrameParser(),
  };
}
