// The probe viewer: `gst-launch-1.0 rtspsrc ! rtph264depay ! avdec_h264 ! fakesink -v` with
// default client settings but the transport, line-buffered (stdbuf) so each decoded frame's
// fakesink line is stamped when it arrives.
import { execa } from 'execa';
import type { Transport } from '../options.ts';
import { nowMs } from '../clock.ts';
import { keepTail, onLines, stopChild } from './child.ts';
import type { ProbeClient } from './client.ts';

const SINK = 'frames';

/** fakesink's per-buffer notification: one line per decoded frame. */
export function isDecodedFrameLine(line: string): boolean {
  return line.includes(`GstFakeSink:${SINK}: last-message = chain`);
}

function clientArgs(url: string, transport: Transport): string[] {
  return [
    '-e', '-v', 'rtspsrc', `location=${url}`, `protocols=${transport}`,
    '!', 'rtph264depay', '!', 'avdec_h264', '!', 'fakesink', `name=${SINK}`, 'silent=false', 'sync=false',
  ];
}

/** Stops with EOS (-e) on SIGINT. */
export function startRtspsrcClient(netns: string, url: string, transport: Transport): ProbeClient {
  const frameTimesMs: number[] = [];
  const child = execa('ip', ['netns', 'exec', netns, 'stdbuf', '-oL', 'gst-launch-1.0', ...clientArgs(url, transport)], {
    reject: false,
    stdin: 'ignore',
  });
  const stderr = keepTail(child.stderr);
  onLines(child.stdout, nowMs, (line, atMs) => {
    if (isDecodedFrameLine(line)) frameTimesMs.push(atMs);
  });
  return {
    frameTimesMs,
    stop: async () => ({ ...(await stopChild(child, 'SIGINT', 5_000)), stderrTail: stderr.text() }),
  };
}
