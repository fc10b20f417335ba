// Reading a run: a truncated last line is skipped and counted, unknown record types ignored.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { describe, it } from 'node:test';
import { readRun, RunDirError } from '../../src/report/load-run.ts';
import { parseLine, type MetricRecord } from '../../src/report/records.ts';
import { HEADER, ndjson, runDir, SUMMARY, watchedRecords } from './fixtures.ts';

describe('readRun', () => {
  it('skips and counts a truncated last line, ignores unknown types, reports a crash', async () => {
    const text =
      ndjson([
        HEADER,
        { type: 'future_kind', stream: 'video1', t_ms: 5, x: 1 },
        { type: 'frame', stream: 'video1', t_ms: 10, latency_ms: 2, jitter_ms: 0, frames_total: 1 },
      ]) + '{"type":"frame","stream":"vid';
    const dir = await runDir(text);
    const records: MetricRecord[] = [];
    const reading = await readRun(dir, (record) => records.push(record));
    assert.equal(reading.skippedLines, 1);
    assert.equal(reading.ended, false);
    assert.equal(reading.summary, undefined);
    assert.deepEqual(
      records.map((r) => r.type),
      ['header', 'frame'],
    );
    assert.deepEqual(records[1], {
      type: 'frame',
      stream: 'video1',
      tMs: 10,
      latencyMs: 2,
      jitterMs: 0,
      framesTotal: 1,
    });
    await rm(dirname(dir), { recursive: true });
  });

  it('reads a clean run and its summary', async () => {
    const dir = await runDir(ndjson(watchedRecords()), SUMMARY);
    let count = 0;
    const reading = await readRun(dir, () => (count += 1));
    assert.equal(reading.skippedLines, 0);
    assert.equal(reading.ended, true);
    assert.equal(count, watchedRecords().length);
    assert.equal(reading.summary?.streams[0]?.latencyMs.p95, 4);
    assert.equal(reading.summary?.streams[0]?.viewers[0]?.meanFractionLost, 0.125);
    await rm(dirname(dir), { recursive: true });
  });

  it('names the missing metrics file', async () => {
    await assert.rejects(
      readRun('/nonexistent/run', () => {}),
      (error: Error) => error instanceof RunDirError && error.message.includes('/nonexistent/run/metrics.ndjson'),
    );
  });
});

describe('parseLine', () => {
  it('tells records, ignored lines and bad lines apart', () => {
    assert.equal(parseLine('not json').kind, 'bad');
    assert.equal(parseLine('[1,2]').kind, 'bad');
    assert.equal(parseLine('{"type":"log","stream":"video1","t_ms":1}').kind, 'ignored');
    assert.deepEqual(parseLine('{"type":"end","t_ms":7}'), { kind: 'record', record: { type: 'end', tMs: 7 } });
  });
});
