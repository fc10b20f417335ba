// Reads a run's metrics.ndjson back, for tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export type MetricRecord = Record<string, unknown> & { type: string; stream?: string; t_ms?: number };

export function readMetrics(runDir: string): MetricRecord[] {
  return readFileSync(join(runDir, 'metrics.ndjson'), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as MetricRecord);
}

export function recordsOf(records: readonly MetricRecord[], type: string, stream?: string): MetricRecord[] {
  return records.filter((record) => record.type === type && (stream === undefined || record.stream === stream));
}

/** The run's records so far, or undefined while a line is caught half written. */
export function readMetricsSoFar(runDir: string): MetricRecord[] | undefined {
  try {
    return readMetrics(runDir);
  } catch {
    return undefined;
  }
}

/**
 * The run's records as soon as `holds` is true of them, else as they are after `timeoutMs`, for the
 * caller's assertions to judge. metrics.ndjson is flushed every second: the poll returns with the
 * flush that brings the records, where a fixed sleep waits out a whole flush interval or more.
 */
export async function readMetricsWhen(
  runDir: string,
  holds: (records: MetricRecord[]) => boolean,
  timeoutMs: number,
): Promise<MetricRecord[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const records = readMetricsSoFar(runDir);
    if (records && holds(records)) return records;
    if (Date.now() > deadline) return readMetrics(runDir);
    // Not faster: the file holds a record per frame, and parsing it takes CPU from the streams.
    await sleep(250);
  }
}

/**
 * How long after `sinceMs` (Unix ms, e.g. when a test killed its helper) `stream` was `running`
 * again, by the server's own `state` record (its `since_ms`: when the helper said it was ready);
 * undefined if it was not within `timeoutMs`.
 */
export async function runningAgainAfterMs(
  runDir: string,
  stream: string,
  sinceMs: number,
  timeoutMs = 10_000,
): Promise<number | undefined> {
  const running = (records: readonly MetricRecord[]) =>
    recordsOf(records, 'state', stream).find((r) => r.state === 'running' && Number(r.since_ms) >= sinceMs);
  const record = running(await readMetricsWhen(runDir, (records) => running(records) !== undefined, timeoutMs));
  return record === undefined ? undefined : Number(record.since_ms) - sinceMs;
}
