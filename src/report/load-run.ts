// Reads a run directory: metrics.ndjson line by line (streamed, so a long run's file is never held
// whole), each line parsed once and handed on; summary.json when the run wrote one.
import { createReadStream } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseLine, type MetricRecord } from './records.ts';
import { parseSummary, type RunSummary } from './summary.ts';

export interface RunReading {
  metricsPath: string;
  /** Lines that were not JSON objects (a crash leaves a truncated last line): skipped. */
  skippedLines: number;
  /** Whether the last record is `end` (a clean stop). */
  ended: boolean;
  /** Undefined when summary.json is absent (the run crashed or is still running). */
  summary: RunSummary | undefined;
}

export class RunDirError extends Error {}

/** Calls `onRecord` for each known record of `<runDir>/metrics.ndjson`, in file order. */
export async function readRun(runDir: string, onRecord: (record: MetricRecord) => void): Promise<RunReading> {
  const metricsPath = join(runDir, 'metrics.ndjson');
  try {
    await access(metricsPath);
  } catch {
    throw new RunDirError(
      `no metrics at ${metricsPath}: give the directory of a run (out/<run-id>), written by npm start`,
    );
  }
  let skippedLines = 0;
  let ended = false;
  const lines = createInterface({ input: createReadStream(metricsPath, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const parsed = parseLine(line);
    if (parsed.kind === 'bad') {
      skippedLines += 1;
      continue;
    }
    if (parsed.kind === 'ignored') continue;
    ended = parsed.record.type === 'end';
    onRecord(parsed.record);
  }
  return { metricsPath, skippedLines, ended, summary: await readSummary(join(runDir, 'summary.json')) };
}

async function readSummary(path: string): Promise<RunSummary | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return parseSummary(JSON.parse(text));
  } catch {
    // A summary cut short by a crash is as good as none: the records still tell the run.
    return undefined;
  }
}
