import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHelperLine } from '../src/helper/protocol.ts';
import { StreamRecorder } from '../src/metrics/stream-recorder.ts';
import type { NdjsonWriter } from '../src/metrics/ndjson-writer.ts';

function recorder() {
  const records: Array<Record<string, unknown>> = [];
  const writer: NdjsonWriter = { path: 'memory', append: (record) => records.push(record as Record<string, unknown>), flush() {}, close() {} };
  const stream = { number: 2, name: 'video2', mount: '/video2', mode: 'dynamic' as const, file: 'a.mp4', helperPort: 8556, startBitrateKbps: 2000 };
  const subject = new StreamRecorder(stream, writer, { fromMonotonicUs: (us) => us / 1000, nowMs: () => 0 });
  const feed = (line: string): void => {
    const parsed = parseHelperLine(line);
    if (parsed.ok) subject.onEvent(parsed.event);
    else subject.onBadLine(parsed);
  };
  return { records, subject, feed };
}

describe('StreamRecorder', () => {
  it('turns helper records into figures, status and summary', () => {
    const { records, subject, feed } = recorder();
    subject.onState('running');
    feed('{"type":"media","event":"prepared","width":640,"height":480,"fps":25}');
    feed('{"type":"client","event":"playing","client_id":1,"address":"127.0.0.1","transport":"udp"}');
    for (let i = 0; i < 50; i += 1) {
      feed(JSON.stringify({ type: 'frame', pts_us: i * 40_000, in_us: 1_000_000 + i * 40_000, out_us: 1_002_000 + i * 40_000, bytes: 1250, key: i === 0 }));
    }
    feed('{"type":"stats","t_us":1000000,"packets_sent":0,"bytes_sent":0}');
    feed('{"type":"stats","t_us":2000000,"packets_sent":100,"bytes_sent":125000}');
    feed('{"type":"rtcp","ssrc":7,"client_id":1,"transport":"udp","jitter_us":900,"fraction_lost":0,"packets_lost":0,"highest_seq":10,"reports":1}');

    let status = subject.status();
    assert.equal(status.viewers, 1);
    assert.equal(status.rttMs, undefined, 'no RTT until the viewer echoed a sender report');
    assert.equal(status.silentViewers, 0);
    assert.equal(status.sentKbps, 1000);
    assert.equal(status.fps, 25);
    assert.equal(status.latencyMs, 2);

    feed('{"type":"rtcp","ssrc":7,"client_id":1,"transport":"udp","rtt_us":15000,"jitter_us":900,"fraction_lost":0.5,"packets_lost":9,"highest_seq":20,"reports":2}');
    status = subject.status();
    assert.equal(status.rttMs, 15);
    assert.equal(status.lossPct, 50);

    feed('{"type":"media","event":"unprepared"}');
    status = subject.status();
    assert.deepEqual([status.viewers, status.fps, status.sentKbps, status.latencyMs], [0, undefined, undefined, undefined]);

    const frames = records.filter((r) => r.type === 'frame');
    assert.equal(frames.length, 50);
    assert.deepEqual(frames[1], { type: 'frame', stream: 'video2', t_ms: 1042, latency_ms: 2, interval_ms: 40, jitter_ms: 0, frames_total: 2, bytes: 1250, key: false });
    const summary = subject.summary();
    assert.equal(summary.frames, 50);
    assert.equal(summary.meanSentKbps, 1000);
    assert.equal(summary.viewers[0]!.rtt.mean, 15);
  });

  it('counts bad lines without throwing, and reports the first one only', () => {
    const { records, subject, feed } = recorder();
    assert.equal(subject.onBadLine({ ok: false, kind: 'not_json', detail: 'x', line: '{"type":"fr' }), true);
    feed('{"type":"frame","out_us":"soon"}');
    feed('{"type":"wormhole"}');
    assert.equal(subject.summary().badRecords, 3);
    assert.deepEqual(records.filter((r) => r.type === 'bad_record').map((r) => r.kind), ['not_json', 'bad_field', 'unknown_type']);
  });

  it('shows a playing viewer without reports as silent, never as a perfect link', () => {
    const { subject, feed } = recorder();
    subject.onState('running');
    feed('{"type":"client","event":"playing","client_id":4,"transport":"tcp"}');
    const status = subject.status();
    assert.equal(status.rttMs, undefined);
    assert.equal(status.lossPct, undefined);
    assert.equal(status.silentViewers, 1);
  });
});
