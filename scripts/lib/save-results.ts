// Where a bench keeps its figures: out/bench-<name>-<run id>.json, the path printed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runId } from '../../src/metrics/run-dir.ts';

export function saveBenchResults<T extends { date: string }>(name: string, results: T): string {
  mkdirSync('out', { recursive: true });
  const file = join('out', `bench-${name}-${runId(new Date(results.date))}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`saved ${file}`);
  return file;
}
