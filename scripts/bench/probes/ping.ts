// RTT through the bottleneck: `ping -D -i 0.2` from the client namespace to the server address.
// The echo reply travels the server-to-client direction and queues behind the stream in tbf.
import { execa } from 'execa';
import { nowMs } from '../clock.ts';
import { onLines, stopChild } from './child.ts';

export interface PingReply {
  /** When the reply arrived (ping's -D stamp), ms since the epoch. */
  atMs: number;
  seq: number;
  rttMs: number;
}

const PING_INTERVAL_S = 0.2;

/** `[1795612627.265445] 64 bytes from 10.99.0.1: icmp_seq=1 ttl=64 time=0.127 ms` → reply; other lines → undefined. */
export function parsePingLine(line: string): PingReply | undefined {
  const match = /^\[(\d+\.\d+)\] \d+ bytes from [^:]+: icmp_seq=(\d+) .*time=(\d+(?:\.\d+)?) ms/.exec(line);
  if (!match) return undefined;
  return { atMs: Number(match[1]) * 1000, seq: Number(match[2]), rttMs: Number(match[3]) };
}

export interface PingProbe {
  readonly replies: readonly PingReply[];
  stop(): Promise<void>;
}

export function startPing(netns: string, address: string): PingProbe {
  const replies: PingReply[] = [];
  const child = execa(
    'ip',
    ['netns', 'exec', netns, 'stdbuf', '-oL', 'ping', '-n', '-D', '-i', String(PING_INTERVAL_S), address],
    {
      reject: false,
      stdin: 'ignore',
    },
  );
  onLines(child.stdout, nowMs, (line) => {
    const reply = parsePingLine(line);
    if (reply) replies.push(reply);
  });
  return {
    replies,
    stop: async () => {
      await stopChild(child, 'SIGINT', 2_000);
    },
  };
}
