// Child output parsed at the edge, on lines captured from the real tools.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parsePingLine } from '../../scripts/bench/probes/ping.ts';
import { parseTcQdiscJson, recentKbps } from '../../scripts/bench/probes/tc.ts';

const fixture = (name: string): string => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');

describe('ping -D lines', () => {
  it('reads replies (time of arrival, sequence, RTT) and ignores the rest', () => {
    const parsed = fixture('ping-D.txt').split('\n').map(parsePingLine);
    assert.equal(parsed[0], undefined); // PING header
    const micro = (reply: ReturnType<typeof parsePingLine>) =>
      reply && { ...reply, atMs: Math.round(reply.atMs * 1000) };
    assert.deepEqual(micro(parsed[1]), { atMs: 1795612634711552, seq: 1, rttMs: 0.18 });
    assert.deepEqual(micro(parsed[3]), { atMs: 1795612635116661, seq: 3, rttMs: 312 });
    assert.equal(parsed[4], undefined); // "no answer yet"
  });
});

describe('tc -s -j qdisc show', () => {
  it('reads the root qdisc counters', () => {
    assert.deepEqual(parseTcQdiscJson(fixture('tc-qdisc.json')), {
      bytes: 426,
      packets: 5,
      drops: 0,
      backlogBytes: 0,
      qlen: 0,
    });
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
