import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { slope, TrendlineEstimator } from '../../src/control/trendline.ts';
import { seededNoise } from './link-model.ts';

/** Groups every 33 ms whose one-way delay follows `delayMs(i)`: the estimator's verdicts. */
function run(count: number, delayMs: (i: number) => number): string[] {
  const estimator = new TrendlineEstimator();
  const delays = Array.from({ length: count }, (_, i) => delayMs(i));
  const verdicts: string[] = [];
  for (let i = 1; i < count; i += 1)
    verdicts.push(estimator.update(33 + delays[i]! - delays[i - 1]!, 33, 33 * i + delays[i]!));
  return verdicts;
}

describe('TrendlineEstimator', () => {
  it('a steady delay is normal', () => {
    assert.ok(run(100, () => 20).every((verdict) => verdict === 'normal'));
  });

  it('a delay growing 3 ms a frame (sending 10 % over the path) is overusing within 0.6 s; 60 ms a frame (3 times over) within 0.2 s', () => {
    for (const [growthMs, withinGroups] of [
      [3, 18],
      [60, 6],
    ] as const) {
      const verdicts = run(100, (i) => (i < 30 ? 20 : 20 + (i - 30) * growthMs));
      assert.ok(verdicts.slice(0, 29).every((verdict) => verdict === 'normal'));
      const first = verdicts.indexOf('overusing');
      assert.ok(first >= 29 && first <= 29 + withinGroups, `${growthMs} ms a frame: overusing at group ${first}`);
    }
  });

  it('a delay falling after a queue (draining) is underusing', () => {
    const verdicts = run(100, (i) => (i < 40 ? 20 + i * 3 : Math.max(20, 140 - (i - 40) * 4)));
    assert.ok(verdicts.slice(45, 65).includes('underusing'), verdicts.slice(40, 70).join(','));
  });

  it('jitter of ±5 ms around a steady delay: its threshold adapts, never overusing', () => {
    const noise = seededNoise(3, 5);
    assert.ok(!run(600, () => 20 + noise()).includes('overusing'));
  });

  it('slope is the least-squares slope', () => {
    assert.equal(
      slope([
        { x: 0, y: 1 },
        { x: 1, y: 3 },
        { x: 2, y: 5 },
      ]),
      2,
    );
    assert.equal(
      slope([
        { x: 1, y: 1 },
        { x: 1, y: 3 },
      ]),
      undefined,
    );
  });
});
