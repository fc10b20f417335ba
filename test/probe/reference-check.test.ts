import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { referenceStampProblem, streamStampProblem } from '../../src/probe/reference-check.ts';
import type { LumaPlane } from '../../src/probe/quality.ts';
import { CELLS, cellBox, stampCells } from '../../src/stamp/stamp-code.ts';

const WIDTH = 160;
const HEIGHT = 120;

/** A grey picture with `stamp` in its band, or none. */
function frame(stamp: number | undefined): LumaPlane {
  const luma = new Uint8Array(WIDTH * HEIGHT).fill(100);
  if (stamp !== undefined) {
    const cells = stampCells(stamp);
    for (let cell = 0; cell < CELLS; cell += 1) {
      const box = cellBox(cell, WIDTH, HEIGHT);
      for (let y = box.y; y < box.y + box.height; y += 1)
        luma.fill(cells[cell] === 1 ? 235 : 16, y * WIDTH + box.x, y * WIDTH + box.x + box.width);
    }
  }
  return { width: WIDTH, height: HEIGHT, luma };
}

describe('reference checks', () => {
  it('takes a stamped clip whose frame n reads n, even with a garbled stamp or two', () => {
    const frames = Array.from({ length: 120 }, (_, n) => frame(n));
    frames[0] = frame(undefined);
    assert.equal(referenceStampProblem(frames), undefined);
  });

  it('refuses an unstamped clip and one whose stamps are not its frame numbers', () => {
    assert.match(
      referenceStampProblem(Array.from({ length: 120 }, () => frame(undefined)))!,
      /0 of 24 sampled do\): not a stamped clip/,
    );
    assert.match(referenceStampProblem(Array.from({ length: 120 }, (_, n) => frame(n + 300)))!, /0 of 24/);
  });

  it('refuses a reference shorter than the stream shows', () => {
    assert.equal(streamStampProblem(119, 120), undefined);
    assert.match(streamStampProblem(150, 120)!, /shows frame 150, the reference has 120 frames/);
  });
});
