// Spec builders on a small run: the rows each chart gets, titles and axis units, colours per file.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aggregate } from '../../src/report/aggregate.ts';
import { streamBitrateSpec } from '../../src/report/bitrate-spec.ts';
import { reportCharts } from '../../src/report/chart-list.ts';
import { fileLabel, fileStyles, MODE_DASH } from '../../src/report/colors.ts';
import { parseLine, type MetricRecord } from '../../src/report/records.ts';
import { compareMeanSpec, NO_VIEWERS, noViewersOn, streamTimeSpec } from '../../src/report/stream-specs.ts';
import { NO_REPORTS, viewerLossSpec, viewerRttSpec } from '../../src/report/viewer-specs.ts';
import { HEADER, twoEncoderRecords, watchedRecords } from './fixtures.ts';

type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const parse = (records: readonly object[]): MetricRecord[] =>
  records.flatMap((record) => {
    const parsed = parseLine(JSON.stringify(record));
    return parsed.kind === 'record' ? [parsed.record] : [];
  });

const run = aggregate(parse(watchedRecords()));
const styles = fileStyles(
  run.streams.map((s) => s.file),
  new Map([['videos/a.mp4', 2_500_000]]),
);
const A = 'a.mp4 (2.50 MB)';
const spec = (value: unknown): Loose => value as Loose;
const isNoData = (value: Loose, message: string): boolean =>
  value.mark?.type === 'text' && value.data.values[0].message === message;

describe('report chart specs', () => {
  it('labels files with name and size, bare name when the file is gone', () => {
    assert.equal(fileLabel('videos/a.mp4', 2_500_000), A);
    assert.equal(fileLabel('videos/big.mp4', 12_345_678), 'big.mp4 (12.3 MB)');
    assert.equal(styles.get('videos/b.mp4')!.label, 'b.mp4');
  });

  it('draws one line per static video with per-second rows and units on the axes', () => {
    const latency = spec(streamTimeSpec('latency', ['static'], run.streams, styles));
    assert.deepEqual(latency.data.values, [
      { t_s: 1, value: 3, video: A, mode: 'static', stream: 'video1' },
      { t_s: 2, value: 3, video: A, mode: 'static', stream: 'video1' },
    ]);
    assert.equal(latency.title.subtitle.includes('per-second means'), true);
    assert.match(latency.encoding.y.title, /\(ms\)$/);
    assert.match(latency.encoding.x.title, /\(s\)$/);
    const frames = spec(streamTimeSpec('frames', ['static'], run.streams, styles));
    assert.deepEqual(
      frames.data.values.map((row: Loose) => row.value),
      [2, 3, 3, 3],
    );
    assert.equal(frames.encoding.y.title, 'frames sent (cumulative)');
  });

  it('gives a file the same colour in every chart, solid for static and dashed for dynamic', () => {
    const staticFrames = spec(streamTimeSpec('frames', ['static'], run.streams, styles));
    const dynamicJitter = spec(streamTimeSpec('jitter', ['dynamic'], run.streams, styles));
    const colourOf = (s: Loose, label: string) =>
      s.encoding.color.scale.range[s.encoding.color.scale.domain.indexOf(label)];
    assert.equal(colourOf(staticFrames, A), colourOf(dynamicJitter, A));
    assert.equal(colourOf(staticFrames, A), styles.get('videos/a.mp4')!.colour);
    const compare = spec(streamTimeSpec('frames', ['static', 'dynamic'], run.streams, styles));
    assert.deepEqual(compare.encoding.strokeDash.scale, {
      domain: ['static', 'dynamic'],
      range: [MODE_DASH.static, MODE_DASH.dynamic],
    });
    assert.deepEqual([...new Set(compare.data.values.map((row: Loose) => row.mode))], ['static', 'dynamic']);
    assert.notDeepEqual(MODE_DASH.static, MODE_DASH.dynamic);
  });

  it('puts bars of the means static beside dynamic', () => {
    const bars = spec(compareMeanSpec('latency', run.streams, styles, (s) => s.meanLatencyMs, 'from the records'));
    assert.deepEqual(bars.data.values, [
      { video: A, mode: 'static', value: 3 },
      { video: A, mode: 'dynamic', value: 7 },
    ]);
    assert.equal(bars.mark.type, 'bar');
    assert.equal(bars.encoding.xOffset.field, 'mode');
    assert.match(bars.encoding.y.title, /\(ms\)$/);
  });

  it('draws target, encoder setting and sent of a dynamic stream, and the capacity when given', () => {
    const bitrate = spec(
      streamBitrateSpec(
        run.streams.find((s) => s.name === 'video2')!,
        [
          { tS: 0, kbps: 1000 },
          { tS: 2, kbps: 600 },
        ],
      ),
    );
    assert.deepEqual(bitrate.encoding.color.scale.domain, [
      'link capacity',
      'encoder setting (applied)',
      'controller target',
    ]);
    assert.equal(bitrate.encoding.y.title, 'bitrate (kbit/s)');
    const rows = (name: string) =>
      bitrate.layer
        .flatMap((l: Loose) => l.data.values)
        .filter((r: Loose) => r.series === name)
        .map((r: Loose) => [r.t_s, r.kbps]);
    assert.deepEqual(rows('controller target'), [
      [1, 800],
      [2, 1200],
      [3, 1200],
      [4, 1200],
    ]);
    assert.deepEqual(rows('link capacity'), [
      [0, 1000],
      [2, 600],
    ]);
    const idle = spec(
      streamBitrateSpec(
        run.streams.find((s) => s.name === 'video4')!,
        undefined,
      ),
    );
    assert.ok(isNoData(idle, 'no viewers on video4 during this run: a mount encodes only while someone watches'));
  });

  it('draws a target and a sent line per encoder when a dynamic stream ran several (a viewer each)', () => {
    const twoEncoders = aggregate(parse(twoEncoderRecords())).streams.find((s) => s.name === 'video2')!;
    const bitrate = spec(streamBitrateSpec(twoEncoders, undefined));
    assert.deepEqual(bitrate.encoding.color.scale.domain, [
      'encoder 1: target',
      'encoder 1: sent',
      'encoder 2: target',
      'encoder 2: sent',
    ]);
    const rows = (name: string) =>
      bitrate.layer
        .flatMap((l: Loose) => l.data.values)
        .filter((r: Loose) => r.series === name)
        .map((r: Loose) => [r.t_s, r.kbps]);
    assert.deepEqual(rows('encoder 2: target'), [
      [2, 800],
      [3, 500],
    ]);
    assert.deepEqual(rows('encoder 1: sent'), [
      [1, 700],
      [2, 1900],
      [3, 2000],
    ]);
    assert.match(bitrate.title.subtitle, /^2 encoders/);
  });

  it('draws RTT and loss per viewer, one point per report', () => {
    const rtt = spec(viewerRttSpec(run));
    assert.deepEqual(rtt.data.values, [{ t_s: 2.8, value: 5, viewer: 'video1 client:1 (udp)' }]);
    assert.equal(rtt.encoding.y.title, 'RTT (ms)');
    const loss = spec(viewerLossSpec(run));
    assert.deepEqual(
      loss.data.values.map((r: Loose) => r.value),
      [0, 25],
    );
    assert.match(loss.encoding.y.title, /\(%\)$/);
  });

  it('says why a chart is empty', () => {
    const idle = aggregate(parse([HEADER, { type: 'end', t_ms: 1000 }]));
    assert.ok(isNoData(spec(streamTimeSpec('latency', ['static'], idle.streams, styles)), noViewersOn('static')));
    assert.ok(isNoData(spec(viewerRttSpec(idle)), NO_VIEWERS));
    assert.ok(isNoData(spec(viewerRttSpec({ viewerCount: 1, reporting: [] })), NO_REPORTS));
    const staticOnly = aggregate(parse([{ ...HEADER, streams: HEADER.streams.filter((s) => s.mode === 'static') }]));
    assert.ok(
      isNoData(
        spec(streamTimeSpec('frames', ['dynamic'], staticOnly.streams, styles)),
        'no dynamic streams in this run',
      ),
    );
    const charts = reportCharts({
      run: staticOnly,
      styles,
      means: { latency: () => undefined, jitter: () => undefined, source: 'x' },
    });
    assert.ok(isNoData(spec(charts.find((c) => c.id === 'bitrate')!.spec), 'no dynamic streams in this run'));
  });

  it('lists the charts of a run by id', () => {
    const charts = reportCharts({
      run,
      styles,
      means: { latency: (s) => s.meanLatencyMs, jitter: (s) => s.meanJitterMs, source: 'x' },
    });
    assert.deepEqual(
      charts.map((c) => c.id),
      [
        'static-frames',
        'static-latency',
        'static-jitter',
        'dynamic-frames',
        'dynamic-latency',
        'dynamic-jitter',
        'compare-frames',
        'compare-latency',
        'compare-jitter',
        'bitrate-video2',
        'bitrate-video4',
        'viewers-rtt',
        'viewers-loss',
      ],
    );
  });
});
