// The bench's viewers: a real client in its namespace that decodes the stream and stamps each
// decoded frame when it arrives. One kind per module; this is what the run sees of either.
import type { Transport } from '../options.ts';
import type { StopResult } from './child.ts';
import { startFfmpegClient } from './ffmpeg-client.ts';
import { startRtspsrcClient } from './rtspsrc-client.ts';

export const CLIENT_KINDS = ['rtspsrc', 'ffmpeg'] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];

export interface ProbeClient {
  /** Arrival time of each decoded frame, ms since the epoch. */
  readonly frameTimesMs: readonly number[];
  /** Interrupts the client (its clean stop), SIGKILL after 5 s. */
  stop(): Promise<StopResult & { stderrTail: string }>;
}

/** Each client with its own default transport choice but the one the pass asks for. */
export function startProbeClient(kind: ClientKind, netns: string, url: string, transport: Transport): ProbeClient {
  switch (kind) {
    case 'rtspsrc':
      return startRtspsrcClient(netns, url, transport);
    case 'ffmpeg':
      return startFfmpegClient(netns, url, transport);
  }
}
