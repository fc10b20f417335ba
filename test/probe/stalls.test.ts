import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StallDetector, stallThresholdMs } from '../../src/probe/stalls.ts';

const frames = (detector: StallDetector, fromMs: number, count: number, stepMs: number): number => {
  for (let i = 0; i < count; i += 1) detector.frameShown(fromMs + i * stepMs);
  return fromMs + (count - 1) * stepMs;
};

describe('stalls (webrtc-stats freezes)', () => {
  it('the threshold is max(3 × mean interval, mean + 150 ms): 183 ms at 30 fps, 300 ms at 10 fps', () => {
    assert.equal(Math.round(stallThresholdMs(1000 / 30)), 183);
    assert.equal(stallThresholdMs(100), 300);
  });

  it('counts a gap over the threshold and not one under it', () => {
    const detector = new StallDetector(0);
    let t = frames(detector, 0, 30, 33);
    assert.equal(detector.frameShown(t + 170), undefined);
    t = frames(detector, t + 170, 30, 33);
    const stall = detector.frameShown(t + 500);
    assert.deepEqual(stall, { fromMs: t, durationMs: 500, open: false });
    assert.equal(detector.stalls.length, 1);
  });

  it('a gap still open at the end counts: a stream that stops is a stall', () => {
    const detector = new StallDetector(0);
    const t = frames(detector, 0, 30, 33);
    detector.end(t + 100);
    assert.equal(detector.stalls.length, 0);
    detector.end(t + 2000);
    assert.deepEqual(detector.stalls, [{ fromMs: t, durationMs: 2000, open: true }]);
  });

  it('a run without a single frame is one stall, from the start to the end', () => {
    const detector = new StallDetector(1000);
    detector.end(11_000);
    assert.deepEqual(detector.stalls, [{ fromMs: 1000, durationMs: 10_000, open: true }]);
  });

  it('after one frame only, a gap of 150 ms or more at the end is a stall (no mean gap yet)', () => {
    const detector = new StallDetector(0);
    detector.frameShown(500);
    detector.end(600);
    assert.equal(detector.stalls.length, 0);
    detector.end(5500);
    assert.deepEqual(detector.stalls, [{ fromMs: 500, durationMs: 5000, open: true }]);
  });
});
