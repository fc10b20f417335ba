// Figures from small synthetic observations, with the values worked out by hand.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { percentile } from '../../src/metrics/percentile.ts';
import {
  analyseVariant,
  buildTimeline,
  counterAt,
  settleTimes,
  type TimelineBin,
  type VariantObservations,
} from '../../scripts/bench/analysis.ts';
import type { QdiscSample } from '../../scripts/bench/probes/tc.ts';
import { parseSchedule } from '../../scripts/bench/schedule.ts';

function bin(t_s: number, rtt_ms: number | null, loss_pct: number | null): TimelineBin {
  return { t_s, capacity_kbps: 1000, delivered_kbps: 0, rtt_ms, loss_pct, frames_decoded_cum: 0 };
}

/** 0.5-s bins from 0 to 20 s: bad (RTT 300 ms, 20 % loss) in [badFrom, goodFrom), good elsewhere. */
function timeline(badFrom: number, goodFrom: number, blips: number[] = []): TimelineBin[] {
  return Array.from({ length: 40 }, (_, i) => {
    const t = i / 2;
    const bad = (t >= badFrom && t < goodFrom) || blips.includes(t);
    return bin(t, bad ? 300 : 10, bad ? 20 : 0);
  });
}

const drop = { step: 1, tS: 10, fromKbps: 2500, toKbps: 600, untilS: 20 };

describe('settle time', () => {
  it('is the start of the first bin after which loss < 2 % and RTT <= base + 50 ms hold for 2 s', () => {
    assert.deepEqual(settleTimes(timeline(10, 13.5), [drop], { baseRttMs: 5 }), [3.5]);
  });

  it('is 0 when the drop never hurts', () => {
    assert.deepEqual(settleTimes(timeline(99, 99), [drop], { baseRttMs: 5 }), [0]);
  });

  it('restarts the 2-s hold after a bad bin', () => {
    assert.deepEqual(settleTimes(timeline(10, 12, [13]), [drop], { baseRttMs: 5 }), [3.5]);
  });

  it('counts RTT just over base + 50 ms and an unanswered bin as not settled', () => {
    const bins = timeline(99, 99).map((b) =>
      b.t_s < 15 ? { ...b, rtt_ms: 55.5 } : b.t_s === 16 ? { ...b, rtt_ms: null } : b,
    );
    assert.deepEqual(settleTimes(bins, [drop], { baseRttMs: 5 }), [6.5]);
  });

  it('is null when the hold cannot complete before the schedule changes again', () => {
    assert.deepEqual(settleTimes(timeline(10, 18.5), [drop], { baseRttMs: 5 }), [null]);
  });
});

function sample(atMs: number, bytes: number, packets: number, drops: number): QdiscSample {
  return { atMs, bytes, packets, drops, backlogBytes: 0, qlen: 0 };
}

describe('figures of a variant', () => {
  // 10 s: 1000 kbit/s for 5 s, then 500. The link delivers 1000 kbit/s, then 400 kbit/s.
  const startMs = 1_000_000;
  const qdisc = [
    sample(startMs, 0, 0, 0),
    sample(startMs + 5_000, 625_000, 500, 0),
    sample(startMs + 10_000, 875_000, 1000, 250),
  ];
  const obs: VariantObservations = {
    startMs,
    durationS: 10,
    schedule: parseSchedule('0:1000,5:500'),
    baseRttMs: 1,
    qdisc,
    pings: [
      { atMs: startMs + 510, seq: 1, rttMs: 10 }, // sent at 0.5 s
      { atMs: startMs + 6_300, seq: 2, rttMs: 300 }, // sent at 6.0 s
      { atMs: startMs + 7_100, seq: 3, rttMs: 100 }, // sent at 7.0 s
    ],
    decodedTimesMs: [startMs - 100, startMs + 100, startMs + 600, startMs + 9_900],
    mount: {
      frames: [startMs - 50, startMs, startMs + 1000, startMs + 2000, startMs + 3000].map((atMs) => ({
        atMs,
        mediaStart: false,
      })),
      sent: [],
      target: [],
      applied: [{ atMs: startMs - 10, kbps: 2000 }],
      viewerTransports: ['udp'],
    },
  };

  it('utilisation = delivered bits / capacity bits over the run', () => {
    const figures = analyseVariant(obs);
    assert.equal(figures.throughput_kbps, 700); // 875 000 B × 8 / 10 s
    assert.equal(figures.capacity_kbps, 750);
    assert.equal(figures.utilisation, Number((700 / 750).toFixed(3)));
  });

  it('loss, RTT percentiles, frames from time 0 on', () => {
    const figures = analyseVariant(obs);
    assert.equal(figures.loss_pct, 20); // 250 dropped of 1250 offered
    assert.equal(figures.rtt_p50_ms, 100);
    assert.equal(figures.rtt_p95_ms, 300);
    assert.equal(figures.frames_sent, 4);
    assert.equal(figures.frames_decoded, 3);
    assert.equal(figures.decoded_pct, 75);
    assert.deepEqual(figures.settle_s, [null]); // 20 % loss until the end
    assert.deepEqual(figures.drop_applied_s, [5]);
  });

  it("times a link's settling from when its own change was in effect", () => {
    assert.deepEqual(analyseVariant({ ...obs, appliedS: [0, 5.4] }).drop_applied_s, [5.4]);
  });

  it('bins interpolate the counters and carry the applied bitrate', () => {
    const bins = buildTimeline(obs, 1);
    assert.equal(bins.length, 10);
    assert.deepEqual(bins[0], {
      t_s: 0,
      capacity_kbps: 1000,
      delivered_kbps: 1000,
      rtt_ms: 10,
      loss_pct: 0,
      frames_decoded_cum: 2,
      applied_kbps: 2000,
    });
    assert.equal(bins[6]!.capacity_kbps, 500);
    assert.equal(bins[6]!.delivered_kbps, 400);
    assert.equal(bins[6]!.loss_pct, 33.33); // 50 dropped of 150 offered per second
    assert.equal(bins[6]!.rtt_ms, 300); // binned by when the ping was sent
    assert.equal(bins[7]!.rtt_ms, 100);
    assert.equal(bins[8]!.rtt_ms, null);
  });
});

describe('helpers', () => {
  it('percentile is nearest-rank', () => {
    assert.equal(percentile([5, 1, 3, 2, 4], 50), 3);
    assert.equal(percentile([5, 1, 3, 2, 4], 95), 5);
    assert.equal(percentile([], 50), null);
  });

  it('counterAt interpolates and holds flat outside the samples', () => {
    const samples = [sample(0, 0, 0, 0), sample(1000, 100, 0, 0)];
    assert.equal(counterAt(samples, 'bytes', 500), 50);
    assert.equal(counterAt(samples, 'bytes', -5), 0);
    assert.equal(counterAt(samples, 'bytes', 2000), 100);
  });
});
