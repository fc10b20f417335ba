// Link ground truth: the bottleneck's own counters (`tc -s -j qdisc show dev D` in the server
// namespace), sampled every ~200 ms: bytes and packets sent, packets dropped, backlog.
import { execa } from 'execa';
import { setTimeout as sleep } from 'node:timers/promises';
import { nowMs } from '../clock.ts';

export interface QdiscCounters {
  bytes: number;
  packets: number;
  drops: number;
  backlogBytes: number;
  qlen: number;
}

export interface QdiscSample extends QdiscCounters {
  atMs: number;
}

const TC_INTERVAL_MS = 200;

/** The root qdisc's counters from `tc -s -j qdisc show dev D`; throws on anything else. */
export function parseTcQdiscJson(text: string): QdiscCounters {
  const parsed: unknown = JSON.parse(text);
  const root = Array.isArray(parsed)
    ? (parsed as Record<string, unknown>[]).find((qdisc) => qdisc.root === true)
    : undefined;
  const numberOf = (key: string): number => {
    const value = root?.[key];
    if (typeof value !== 'number')
      throw new TypeError(`tc qdisc JSON has no numeric root "${key}": ${text.slice(0, 200)}`);
    return value;
  };
  return {
    bytes: numberOf('bytes'),
    packets: numberOf('packets'),
    drops: numberOf('drops'),
    backlogBytes: numberOf('backlog'),
    qlen: numberOf('qlen'),
  };
}

export interface TcSampler {
  readonly samples: readonly QdiscSample[];
  /** Answers of tc that were skipped (e.g. while the qdisc was being changed), with why. */
  readonly skipped: readonly string[];
  stop(): Promise<void>;
}

export function startTcSampler(netns: string, device: string, intervalMs = TC_INTERVAL_MS): TcSampler {
  const samples: QdiscSample[] = [];
  const skipped: string[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = nowMs();
      const result = await execa('tc', ['-n', netns, '-s', '-j', 'qdisc', 'show', 'dev', device], { reject: false });
      // One odd answer (a qdisc being changed, a failed call) costs one sample, never the run.
      try {
        if (result.exitCode !== 0) throw new Error(`tc exited with ${result.exitCode}: ${result.stderr.slice(0, 200)}`);
        // Stamped halfway through the call: tc answers in a few ms.
        samples.push({ atMs: (started + nowMs()) / 2, ...parseTcQdiscJson(result.stdout) });
      } catch (error) {
        skipped.push((error as Error).message);
      }
      await sleep(Math.max(0, intervalMs - (nowMs() - started)));
    }
  })();
  return {
    samples,
    skipped,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

/** kbit/s sent over the last `windowMs` of samples (0 with fewer than two samples in it). */
export function recentKbps(samples: readonly QdiscSample[], windowMs: number): number {
  const last = samples[samples.length - 1];
  const first = last && samples.find((sample) => sample.atMs >= last.atMs - windowMs);
  if (!last || !first || last.atMs - first.atMs < windowMs / 2) return 0;
  return ((last.bytes - first.bytes) * 8) / (last.atMs - first.atMs);
}
