// Finds helper processes by their command line, to kill one or to prove none is left.
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { cpuPercent, sampleProcess, type ProcSample } from '../../src/metrics/process-stats.ts';

export interface HelperProcessInfo {
  pid: number;
  port: number;
}

function commandLine(pid: string): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return undefined;
  }
}

/** Live processes whose command line `matches`, with it. */
export function findProcesses(matches: (argv: string[]) => boolean): { pid: number; argv: string[] }[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((pid) => {
      const argv = commandLine(pid);
      return argv && matches(argv) && !isZombie(pid) ? [{ pid: Number(pid), argv }] : [];
    });
}

/** Live rtsp-helper processes whose --port is in `ports`. */
export function findHelpers(ports: readonly number[]): HelperProcessInfo[] {
  return findProcesses(
    (argv) => argv[0]?.endsWith('rtsp-helper') === true && ports.includes(Number(argv[argv.indexOf('--port') + 1])),
  ).map(({ pid, argv }) => ({ pid, port: Number(argv[argv.indexOf('--port') + 1]) }));
}

function isZombie(pid: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? false;
  } catch {
    return true;
  }
}

export async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

export function portRange(first: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => first + i);
}

/** Each process's CPU (percent of one core) over the next `windowS` seconds, and its RSS at the end. */
export async function measureProcesses(
  pids: number[],
  windowS: number,
): Promise<Map<number, { cpuPct: number; rssMiB: number }>> {
  const before = new Map<number, ProcSample>(pids.map((pid) => [pid, sampleProcess(pid)]));
  await sleep(windowS * 1000);
  return new Map(
    pids.map((pid) => {
      const after = sampleProcess(pid);
      return [pid, { cpuPct: cpuPercent(before.get(pid)!, after), rssMiB: after.rssKiB / 1024 }];
    }),
  );
}

export const totalCpu = (figures: Map<number, { cpuPct: number }>): number =>
  [...figures.values()].reduce((sum, { cpuPct }) => sum + cpuPct, 0);
