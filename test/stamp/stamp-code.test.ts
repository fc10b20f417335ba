import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cellBox, CELLS, checkOf, readStamp, stampCells } from '../../src/stamp/stamp-code.ts';

/** A luma plane with `frame`'s stamp drawn as a studio-range encoder would leave it, plus noise. */
function stamped(frame: number, width: number, height: number, stride = width, noise = 0, seed = 1): Uint8Array {
  let state = seed;
  const random = (): number => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const luma = new Uint8Array(stride * height).map(() => Math.floor(random() * 256));
  stampCells(frame).forEach((bit, cell) => {
    const box = cellBox(cell, width, height);
    for (let y = box.y; y < box.y + box.height; y += 1) {
      for (let x = box.x; x < box.x + box.width; x += 1) {
        luma[y * stride + x] = Math.max(0, Math.min(255, (bit ? 235 : 16) + Math.round((random() - 0.5) * 2 * noise)));
      }
    }
  });
  return luma;
}

describe('frame stamp', () => {
  it('reads back every number it writes, at 640x480 and 320x240, with a padded stride and noise of ±90', () => {
    for (const frame of [0, 1, 2, 29, 30, 255, 4095, 12345, 65535]) {
      assert.equal(readStamp(stamped(frame, 640, 480), 640, 480), frame);
      assert.equal(readStamp(stamped(frame, 320, 240, 384, 90, frame + 7), 320, 240, 384), frame);
    }
    assert.equal(readStamp(stamped(65536 + 3, 640, 480), 640, 480), 3, 'numbers wrap at 2^16');
  });

  it('cuts the band into 20 cells that cover the width, an eighth of the height deep', () => {
    assert.equal(CELLS, 20);
    assert.deepEqual(cellBox(0, 640, 480), { x: 0, y: 0, width: 32, height: 60 });
    assert.deepEqual(cellBox(19, 650, 480), { x: 617, y: 0, width: 33, height: 60 });
  });

  it('finds no stamp in an unstamped band: all black, all white, a gradient, a flipped cell', () => {
    assert.equal(readStamp(new Uint8Array(640 * 480), 640, 480), undefined);
    assert.equal(readStamp(new Uint8Array(640 * 480).fill(255), 640, 480), undefined);
    assert.equal(
      readStamp(
        new Uint8Array(640 * 480).map((_, i) => (i % 640) * 0.4),
        640,
        480,
      ),
      undefined,
    );
    for (const cell of [0, 7, 15, 16, 19]) {
      const luma = stamped(1234, 640, 480);
      const box = cellBox(cell, 640, 480);
      const flipped = stampCells(1234)[cell] ? 16 : 235;
      for (let y = 0; y < box.height; y += 1) luma.fill(flipped, y * 640 + box.x, y * 640 + box.x + box.width);
      assert.equal(readStamp(luma, 640, 480), undefined, `cell ${cell} flipped`);
    }
  });

  it("checks with the nibbles' sum plus 5, mod 16", () => {
    assert.equal(checkOf(0), 5);
    assert.equal(checkOf(0xffff), (60 + 5) % 16);
    assert.equal(checkOf(0x1234), (1 + 2 + 3 + 4 + 5) % 16);
  });
});
