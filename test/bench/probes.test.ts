// Child output parsed at the edge, on lines captured from the real tools.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseProgressFrames } from '../../scripts/bench/probes/ffmpeg-client.ts';
import { isDecodedFrameLine } from '../../scripts/bench/probes/rtspsrc-client.ts';
import { parsePingLine } from '../../scripts/bench/probes/ping.ts';
import { parseTcQdiscJson, recentKbps } from '../../scripts/bench/probes/tc.ts';

const fixture = (name: string): string => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');

describe('ping -D lines', () => {
  it('reads replies (time of arrival, sequence, RTT) and ignores the rest', () => {
    const parsed = fixture('ping-D.txt').split('\n').map(parsePingLine);
    assert.equal(parsed[0], undefined); // PING header
    const micro = (reply: ReturnType<typeof parsePingLine>) => reply && { ...reply, atMs: Math.round(reply.atMs * 1000) };
    assert.deepEqual(micro(parsed[1]), { atMs: 1795612634711552, seq: 1, rttMs: 0.18 });
    assert.deepEqual(micro(parsed[3]), { atMs: 1795612635116661, seq: 3, rttMs: 312 });
    assert.equal(parsed[4], undefined); // "no answer yet"
  });
});

describe('tc -s -j qdisc show', () => {
  it('reads the root qdisc counters', () => {
    assert.deepEqual(parseTcQdiscJson(fixture('tc-qdisc.json')), { bytes: 426, packets: 5, drops: 0, backlogBytes: 0, qlen: 0 });
  });

  it('refuses output without a root qdisc', () => {
    assert.throws(() => parseTcQdiscJson('[]'), /no numeric root "bytes"/);
  });

  it('gives the recent rate from samples', () => {
    const sample = (atMs: number, bytes: number) => ({ atMs, bytes, packets: 0, drops: 0, backlogBytes: 0, qlen: 0 });
    assert.equal(recentKbps([sample(0, 0), sample(500, 62_500), sample(1000, 125_000)], 1000), 1000);
    assert.equal(recentKbps([sample(0, 0)], 1000), 0);
  });
});

describe('ffmpeg -progress lines', () => {
  it('reads the frames decoded so far from frame=N, nothing from the other lines', () => {
    assert.equal(parseProgressFrames('frame=34'), 34);
    assert.equal(parseProgressFrames('fps=0.00'), undefined);
    assert.equal(parseProgressFrames('progress=continue'), undefined);
  });
});

describe('gst-launch fakesink -v lines', () => {
  it('counts a decoded buffer, not events', () => {
    const chain = '/GstPipeline:pipeline0/GstFakeSink:frames: last-message = chain   ******* (frames:sink) (18432 bytes, dts: none, pts: 1000:00:00.000000000, duration: 0:00:00.033333333, offset: -1, offset_end: -1, flags: 00000040 discont , meta: none) 0x7f9b401b1a20';
    const event = '/GstPipeline:pipeline0/GstFakeSink:frames: last-message = event   ******* (frames:sink) E (type: stream-start (10254), GstEventStreamStart, flags=(GstStreamFlags)GST_STREAM_FLAG_NONE, group-id=(uint)1;) 0x7ff67c003810';
    assert.equal(isDecodedFrameLine(chain), true);
    assert.equal(isDecodedFrameLine(event), false);
  });
});
