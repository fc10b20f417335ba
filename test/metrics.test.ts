import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FrameMetrics } from '../src/metrics/frame-metrics.ts';
import { Histogram } from '../src/metrics/histogram.ts';
import { SendJitter } from '../src/metrics/send-jitter.ts';
import { ViewerMetrics } from '../src/metrics/viewer-metrics.ts';
import { WindowRate } from '../src/metrics/window-rate.ts';

describe('Histogram', () => {
  it('gives quantiles within 1% of the exact ones in bounded memory', () => {
    const histogram = new Histogram();
    for (let i = 1; i <= 10_000; i += 1) histogram.add(i / 10);
    assert.equal(histogram.count, 10_000);
    assert.ok(Math.abs(histogram.quantile(0.5)! - 500) / 500 < 0.01, String(histogram.quantile(0.5)));
    assert.ok(Math.abs(histogram.quantile(0.95)! - 950) / 950 < 0.01, String(histogram.quantile(0.95)));
    assert.ok(Math.abs(histogram.mean()! - 500.05) < 1e-9);
  });

  it('answers undefined with no samples and clamps to the observed range', () => {
    const histogram = new Histogram();
    assert.equal(histogram.quantile(0.5), undefined);
    histogram.add(7);
    assert.equal(histogram.quantile(0.99), 7);
    assert.equal(histogram.quantile(0), 7);
  });
});

describe('SendJitter', () => {
  it('stays 0 for a perfectly regular sender and converges to a constant deviation', () => {
    const regular = new SendJitter();
    for (let i = 0; i < 100; i += 1) regular.update(33.333, 33.333);
    assert.equal(regular.valueMs, 0);
    const late = new SendJitter();
    for (let i = 0; i < 200; i += 1) late.update(i % 2 === 0 ? 43.333 : 23.333, 33.333);
    assert.ok(Math.abs(late.valueMs - 10) < 0.01, String(late.valueMs));
  });

  it('moves 1/16 of the way per interval (RFC 3550 smoothing)', () => {
    const jitter = new SendJitter();
    assert.equal(jitter.update(49.333, 33.333), 1);
  });
});

describe('FrameMetrics', () => {
  it('computes latency, intervals, jitter and cumulative frames', () => {
    const metrics = new FrameMetrics(() => 40);
    const first = metrics.add({ ptsUs: 0, inUs: 1_000_000, outUs: 1_004_000, bytes: 1000, key: true }, 1);
    assert.deepEqual(first, { latencyMs: 4, intervalMs: undefined, jitterMs: 0, framesTotal: 1 });
    const second = metrics.add({ ptsUs: 40_000, inUs: 1_040_000, outUs: 1_060_000, bytes: 500, key: false }, 1);
    assert.deepEqual(second, { latencyMs: 20, intervalMs: 56, jitterMs: 1, framesTotal: 2 });
    // Another encoder of the stream: its own intervals, the stream's count.
    const other = metrics.add({ ptsUs: 0, inUs: 1_050_000, outUs: 1_052_000, bytes: 700, key: true }, 2);
    assert.deepEqual(other, { latencyMs: 2, intervalMs: undefined, jitterMs: 0, framesTotal: 3 });
    metrics.forgetEncoder(1);
    assert.equal(
      metrics.add({ ptsUs: 0, inUs: 9_000_000, outUs: 9_002_000, bytes: 1, key: true }, 1).intervalMs,
      undefined,
    );
    const summary = metrics.summary();
    assert.equal(summary.frames, 4);
    assert.ok(Math.abs(summary.latencyMs.mean! - 28 / 4) < 1e-9);
  });
});

describe('WindowRate', () => {
  it('closes one-second windows with frames per second and kbit/s', () => {
    const rate = new WindowRate();
    const closed = [0, 100, 900, 1000, 2500].flatMap((t) => rate.add(t, 1250));
    assert.deepEqual(closed, [
      { endMs: 1000, fps: 3, encodedKbps: 30 },
      { endMs: 2000, fps: 1, encodedKbps: 10 },
    ]);
  });
});

describe('ViewerMetrics', () => {
  it('keeps RTT unknown until a report carries it, and converts units', () => {
    const viewer = new ViewerMetrics('client:1', '127.0.0.1', 'udp');
    assert.equal(viewer.snapshot(0).reports, 0);
    assert.equal(viewer.snapshot(0).signalLabel, 'none');
    viewer.addReport({ jitterUs: 1500, fractionLost: 0, packetsLost: 0 }, 0);
    assert.equal(viewer.snapshot(0).rttMs, undefined);
    viewer.addReport({ rttUs: 12_000, jitterUs: 500, fractionLost: 0.25, packetsLost: 40, cadenceMs: 4_980 }, 0);
    const second = viewer.snapshot(0);
    assert.deepEqual(
      [second.reports, second.rttMs, second.jitterMs, second.fractionLost, second.packetsLost],
      [2, 12, 0.5, 0.25, 40],
    );
    assert.equal(second.signalLabel, 'rr 5.0 s');
    assert.equal(viewer.summary().meanFractionLost, 0.125);
  });

  it('shows its figures as unknown once it is silent for three report intervals, never its last value', () => {
    const viewer = new ViewerMetrics('client:1', '127.0.0.1', 'udp');
    viewer.addReport({ rttUs: 12_000, jitterUs: 500, fractionLost: 0.25, cadenceMs: 100 }, 10_000);
    assert.equal(viewer.snapshot(11_900).rttMs, 12, 'a 100-ms reporter still stands 1.9 s on (2 s at least)');
    const stale = viewer.snapshot(12_100);
    assert.deepEqual([stale.rttMs, stale.jitterMs, stale.fractionLost], [undefined, undefined, undefined]);
    assert.equal(stale.reports, 1, 'what it sent is still counted');
    assert.equal(viewer.summary().rtt.p50, 12, 'the run keeps every report');
    viewer.addReport({ rttUs: 9_000, cadenceMs: 5_000 }, 20_000);
    assert.equal(viewer.snapshot(34_000).rttMs, 9, 'a 5-s reporter stands 15 s');
    assert.equal(viewer.snapshot(35_100).rttMs, undefined);
  });
});
