// CPU time and memory of processes from /proc: for benchmarks, and each helper's figures in /metrics.
import { readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_S = 100;

export interface ProcSample {
  pid: number;
  cpuS: number;
  rssKiB: number;
  atMs: number;
}

export function sampleProcess(pid: number): ProcSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which may itself hold spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { pid, cpuS: (utime + stime) / CLOCK_TICKS_PER_S, rssKiB: Number(rss?.[1] ?? 0), atMs: performance.now() };
}

/** CPU use between two samples of one process, in percent of one core. */
export function cpuPercent(before: ProcSample, after: ProcSample): number {
  return (100 * (after.cpuS - before.cpuS)) / ((after.atMs - before.atMs) / 1000);
}

/** As sampleProcess, undefined when the process is gone (it may exit between a lookup and the read). */
export function sampleProcessIfAlive(pid: number): ProcSample | undefined {
  try {
    return sampleProcess(pid);
  } catch {
    return undefined;
  }
}
