// The FFmpeg viewer: `ffmpeg -i URL -f null -` decoding every frame (no frame dropped or doubled,
// -fps_mode passthrough), its progress (`frame=N` every 100 ms) read as it comes. With no
// transport asked it tries UDP first and moves to TCP on 461, as ffplay does; `tcp` insists.
import { execa } from 'execa';
import { nowMs } from '../clock.ts';
import type { Transport } from '../options.ts';
import { keepTail, onLines, stopChild } from './child.ts';
import type { ProbeClient } from './client.ts';

const PROGRESS_PERIOD_S = 0.1;

/** `frame=N` of -progress: frames decoded so far; undefined for its other lines. */
export function parseProgressFrames(line: string): number | undefined {
  const match = /^frame=(\d+)$/.exec(line.trim());
  return match ? Number(match[1]) : undefined;
}

function clientArgs(url: string, transport: Transport): string[] {
  return [
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'warning',
    ...(transport === 'tcp' ? ['-rtsp_transport', 'tcp'] : []),
    '-i', url, '-an', '-fps_mode', 'passthrough', '-f', 'null',
    '-progress', 'pipe:1', '-stats_period', String(PROGRESS_PERIOD_S), '-',
  ];
}

/** Stops cleanly on SIGINT. Frames counted in one progress line are stamped with its arrival. */
export function startFfmpegClient(netns: string, url: string, transport: Transport): ProbeClient {
  const frameTimesMs: number[] = [];
  const child = execa('ip', ['netns', 'exec', netns, 'ffmpeg', ...clientArgs(url, transport)], { reject: false, stdin: 'ignore' });
  const stderr = keepTail(child.stderr);
  onLines(child.stdout, nowMs, (line, atMs) => {
    const frames = parseProgressFrames(line);
    while (frames !== undefined && frameTimesMs.length < frames) frameTimesMs.push(atMs);
  });
  return {
    frameTimesMs,
    stop: async () => ({ ...(await stopChild(child, 'SIGINT', 5_000)), stderrTail: stderr.text() }),
  };
}
