// Per-second bins of a small run, value by value.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aggregate } from '../../src/report/aggregate.ts';
import { parseLine, type MetricRecord } from '../../src/report/records.ts';
import { viewerLabel } from '../../src/report/viewer-specs.ts';
import { HEADER, twoEncoderRecords, watchedRecords } from './fixtures.ts';

const parse = (records: readonly object[]): MetricRecord[] =>
  records.flatMap((record) => {
    const parsed = parseLine(JSON.stringify(record));
    return parsed.kind === 'record' ? [parsed.record] : [];
  });

describe('aggregate', () => {
  const run = aggregate(parse(watchedRecords()));
  const byName = new Map(run.streams.map((stream) => [stream.name, stream]));

  it('bins a static stream per second: cumulative frames, means, fps, sent, encoder setting', () => {
    assert.deepEqual(byName.get('video1')!.bins, [
      { t_s: 1, frames_total: 2, latency_ms: 3, jitter_ms: 0.5, fps: 2, applied_kbps: 5000 },
      { t_s: 2, frames_total: 3, latency_ms: 3, jitter_ms: 2, sent_kbps: 150, applied_kbps: 5000 },
      { t_s: 3, frames_total: 3, applied_kbps: 5000 },
      { t_s: 4, frames_total: 3, applied_kbps: 5000 },
    ]);
    assert.equal(byName.get('video1')!.frames, 3);
    assert.equal(byName.get('video1')!.meanLatencyMs, 3);
  });

  it('holds the controller target and the encoder setting in force (start bitrate before any decision)', () => {
    assert.deepEqual(byName.get('video2')!.bins, [
      { t_s: 1, frames_total: 1, latency_ms: 6, jitter_ms: 0, target_kbps: 800, applied_kbps: 800 },
      { t_s: 2, frames_total: 1, target_kbps: 1200, applied_kbps: 1200 },
      { t_s: 3, frames_total: 2, latency_ms: 8, jitter_ms: 3, target_kbps: 1200, applied_kbps: 1200 },
      { t_s: 4, frames_total: 2, target_kbps: 1200, applied_kbps: 1200 },
    ]);
  });

  it('follows each encoder of a stream that ran several: its target, setting and sent, from its first record to its last; the stream sends their sum', () => {
    const stream = aggregate(parse(twoEncoderRecords())).streams.find((s) => s.name === 'video2')!;
    assert.deepEqual(stream.encoders, [
      {
        encoder: 1,
        bins: [
          { t_s: 1, sent_kbps: 700, target_kbps: 800, applied_kbps: 800 },
          { t_s: 2, sent_kbps: 1900, target_kbps: 2000, applied_kbps: 2000 },
          { t_s: 3, sent_kbps: 2000, target_kbps: 2000, applied_kbps: 2000 },
        ],
      },
      {
        encoder: 2,
        bins: [
          { t_s: 2, sent_kbps: 600, target_kbps: 800, applied_kbps: 800 },
          { t_s: 3, sent_kbps: 500, target_kbps: 500, applied_kbps: 800 },
        ],
      },
    ]);
    assert.deepEqual(
      stream.bins.map((bin) => bin.sent_kbps),
      [700, 2500, 2500, undefined],
    );
    assert.deepEqual(byName.get('video1')!.encoders, [], 'records that name no encoder');
  });

  it('one point per second: the mean of the reports in it (rtspsrc asked for fast reports sends ten)', () => {
    const dense = aggregate(
      parse([
        HEADER,
        ...[100, 200, 300, 1100].map((tMs, i) => ({
          type: 'rtcp',
          stream: 'video2',
          t_ms: tMs,
          viewer: 'client:3',
          transport: 'udp',
          reports: i + 1,
          rtt_ms: 2 * (i + 1),
          fraction_lost: 0,
          cadence_ms: 100,
        })),
        { type: 'twcc', stream: 'video2', t_ms: 1200, viewer: 'client:3', feedbacks: 30 },
        { type: 'feedback_issue', stream: 'video2', t_ms: 1300, viewer: 'client:3', reason: 'lost_negative', count: 1 },
        { type: 'feedback_issue', stream: 'video2', t_ms: 1300, viewer: '*', reason: 'too_frequent', count: 7 },
      ]),
    );
    const [viewer] = dense.reporting;
    assert.deepEqual(viewer!.points, [
      { t_s: 0.3, rtt_ms: 4, fraction_lost: 0 },
      { t_s: 1.1, rtt_ms: 8, fraction_lost: 0 },
    ]);
    assert.deepEqual([viewer!.reports, viewer!.signal, viewer!.cadenceMs, viewer!.feedbackIssues], [4, 'twcc', 100, 1]);
  });

  it('leaves unwatched streams without bins', () => {
    assert.deepEqual(byName.get('video3')!.bins, []);
    assert.equal(byName.get('video3')!.meanLatencyMs, undefined);
  });

  it("keeps the receiver reports per viewer and second, names each viewer's signal, and counts every viewer seen", () => {
    assert.deepEqual(run.reporting, [
      {
        stream: 'video1',
        viewer: 'client:1',
        client: undefined,
        address: '127.0.0.1',
        transport: 'udp',
        reports: 2,
        signal: 'rr',
        cadenceMs: undefined,
        feedbackIssues: 0,
        points: [
          { t_s: 1.8, jitter_ms: 0.3, fraction_lost: 0 },
          { t_s: 2.8, rtt_ms: 5, jitter_ms: 0.4, fraction_lost: 0.25 },
        ],
      },
    ]);
    assert.deepEqual(
      run.viewers.map((v) => `${v.stream} ${v.viewer} ${v.signal}`),
      ['video1 client:1 rr', 'video2 client:1 tcp-queue'],
    );
    assert.equal(run.viewerCount, 2);
    assert.equal(run.lastS, 3.2);
  });

  it('has no viewers and no bins for a run nobody watched', () => {
    const idle = aggregate(
      parse([HEADER, { type: 'state', stream: 'video1', t_ms: 5, state: 'running' }, { type: 'end', t_ms: 2000 }]),
    );
    assert.equal(idle.viewerCount, 0);
    assert.ok(idle.streams.every((stream) => stream.bins.length === 0));
  });

  it('lists every viewer that played, feedback or not, named by its client: the count is the rows', () => {
    const seen = aggregate(
      parse([
        ...watchedRecords(),
        {
          type: 'client',
          stream: 'video2',
          t_ms: 900,
          event: 'playing',
          client_id: 7,
          address: '10.0.0.9',
          transport: 'tcp',
          user_agent: 'Lavf/60.16.100',
        },
      ]),
    );
    const silent = seen.viewers.find((viewer) => viewer.viewer === 'client:7')!;
    assert.deepEqual(
      [silent.client, silent.address, silent.transport, silent.reports],
      ['Lavf/60.16.100', '10.0.0.9', 'tcp', 0],
    );
    assert.equal(seen.viewerCount, seen.viewers.length);
    assert.equal(viewerLabel(silent), 'video2 client:7 Lavf (tcp)');
  });
});
