import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TwccWindow } from '../../src/control/twcc-window.ts';

/** A frame of `bytes` sent at `sendMs` and arrived `delayMs` later (on a viewer clock 5 s ahead). */
const group = (sendMs: number, delayMs: number, bytes = 4_000) => ({
  sendMs,
  arrivalMs: sendMs + delayMs + 5_000,
  bytes,
});

describe('TwccWindow', () => {
  it("gives each new frame's arrival and send deltas, once, and counts repeated feedback once", () => {
    const window = new TwccWindow();
    assert.deepEqual(window.add(4, 0, [group(0, 10)]), []);
    assert.deepEqual(window.add(8, 0, [group(33, 10), group(66, 15)]), [
      { arrivalDeltaMs: 33, sendDeltaMs: 33, arrivalMs: 5_043 },
      { arrivalDeltaMs: 38, sendDeltaMs: 33, arrivalMs: 5_081 },
    ]);
    assert.deepEqual(window.add(4, 0, [group(66, 15)]), [], 'a frame reported again');
  });

  it("measures the arrival rate over a window of the viewer's clock", () => {
    const window = new TwccWindow();
    // 4 KB a frame every 33 ms arriving 50 ms apart once the path slows: 640 kbit/s.
    for (let i = 0; i < 20; i += 1) window.add(4, 0, [group(i * 33, i < 10 ? 10 : 10 + (i - 9) * 17)]);
    assert.equal(Math.round(window.receivedKbps(200)!), 640);
    // Over a second: all 20 frames, the last arriving 797 ms after the first.
    assert.equal(Math.round(window.receivedKbps(1_000)!), Math.round((19 * 4_000 * 8) / 797));
  });

  it('counts losses among the packets sent in the last 500 ms, or since a cut', () => {
    const window = new TwccWindow();
    window.add(10, 5, [group(0, 40)]);
    window.add(10, 0, [group(400, 10)]);
    assert.equal(window.loss(), 0.25);
    assert.equal(window.loss(200), 0, 'only what was sent after the cut at 200 ms');
    window.add(10, 0, [group(1000, 70)]);
    assert.equal(window.loss(), 0);
  });

  it("the queue: the latest frame's delay over the fastest trip, and the least of the recent ones", () => {
    const window = new TwccWindow();
    for (const [sendMs, delayMs] of [
      [0, 10],
      [33, 60],
      [66, 200],
      [100, 80],
      [133, 90],
    ] as const)
      window.add(4, 0, [group(sendMs, delayMs)]);
    assert.equal(window.queueMs(), 80);
    assert.equal(window.standingQueueMs(100), 70, 'frames sent in the last 100 ms: 70 and 80 over the base');
    assert.equal(window.standingQueueMs(100, 120), 80, 'and after a cut at 120 ms');
    assert.equal(window.standingQueueMs(100, 200), undefined);
  });
});
