import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pictureOf, pictureText } from '../../src/streams/picture.ts';

const rule = { size: undefined, maxSize: { width: 1280, height: 720 }, fps: 0 };

describe('pictureOf', () => {
  it("keeps a file's own size and frame rate when it fits, and never enlarges", () => {
    assert.deepEqual(pictureOf({ width: 320, height: 240, fps: 25 }, rule), { width: 320, height: 240, fps: 25 });
    assert.deepEqual(pictureOf({ width: 1280, height: 720, fps: 30 }, rule), { width: 1280, height: 720, fps: 30 });
  });

  it('shrinks a larger one to fit --max-size, keeping its shape, on even sides', () => {
    assert.deepEqual(pictureOf({ width: 1920, height: 1080, fps: 30 }, rule), { width: 1280, height: 720, fps: 30 });
    assert.deepEqual(pictureOf({ width: 1440, height: 1080, fps: 30 }, rule), { width: 960, height: 720, fps: 30 });
    assert.deepEqual(
      pictureOf({ width: 1280, height: 720, fps: 24 }, { ...rule, maxSize: { width: 640, height: 480 } }),
      { width: 640, height: 360, fps: 24 },
    );
    assert.deepEqual(pictureOf({ width: 1001, height: 3000, fps: undefined }, rule), {
      width: 240,
      height: 720,
      fps: undefined,
    });
  });

  it('takes --width/--height and --fps as given', () => {
    const fixed = { ...rule, size: { width: 640, height: 480 }, fps: 15 };
    assert.deepEqual(pictureOf({ width: 1920, height: 1080, fps: 30 }, fixed), { width: 640, height: 480, fps: 15 });
    assert.equal(pictureText({ width: 640, height: 360, fps: 29.97 }), '640x360 29.97 fps');
    assert.equal(pictureText({ width: 640, height: 360, fps: undefined }), '640x360 its own fps');
  });
});
