// Reads a run's metrics.ndjson back, for tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

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
