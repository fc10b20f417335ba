// The test video's stamp through a real encode: `npm run test-video`'s generator writes a clip,
// GStreamer scales it, encodes it with x264 at 300 kbit/s and decodes it; every decoded frame
// reads back with its own number, at 640x480 and at 320x240.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { readStamp } from '../../src/stamp/stamp-code.ts';
import { generateTestVideo } from '../../src/stamp/test-video.ts';

const FRAMES = 120;

/** The clip scaled to `width`x`height`, through x264 at `kbps` and back: each frame's luma plane. */
async function throughX264(clip: string, width: number, height: number, kbps: number): Promise<Uint8Array[]> {
  const { stdout } = await execa(
    'gst-launch-1.0',
    [
      '-q',
      'filesrc',
      `location=${clip}`,
      '!',
      'qtdemux',
      '!',
      'h264parse',
      '!',
      'avdec_h264',
      '!',
      'videoscale',
      '!',
      'videoconvert',
      '!',
      `video/x-raw,format=I420,width=${width},height=${height}`,
      '!',
      'x264enc',
      `bitrate=${kbps}`,
      'speed-preset=ultrafast',
      'tune=zerolatency',
      'key-int-max=30',
      '!',
      'h264parse',
      '!',
      'avdec_h264',
      '!',
      'videoconvert',
      '!',
      'video/x-raw,format=GRAY8',
      '!',
      'fdsink',
      'fd=1',
    ],
    { encoding: 'buffer' },
  );
  // GRAY8 rows are padded to 4 bytes; both sizes here are multiples of 4.
  const size = width * height;
  assert.equal(stdout.length % size, 0, `${stdout.length} bytes are not whole ${width}x${height} frames`);
  return Array.from({ length: stdout.length / size }, (_, i) => stdout.subarray(i * size, (i + 1) * size));
}

describe('test video stamp', () => {
  it(
    'survives x264 at 300 kbit/s: every frame read back with its number at 640x480 and 320x240',
    { timeout: 120_000 },
    async () => {
      const clip = join(mkdtempSync(join(tmpdir(), 'stamp-')), 'stamped.mp4');
      await generateTestVideo({ out: clip, seconds: FRAMES / 30, width: 640, height: 480, fps: 30 });
      for (const [width, height] of [
        [640, 480],
        [320, 240],
      ] as const) {
        const frames = await throughX264(clip, width, height, 300);
        assert.equal(frames.length, FRAMES, `${width}x${height}`);
        const read = frames.map((luma) => readStamp(luma, width, height));
        const wrong = read.flatMap((number, i) => (number === i ? [] : [`${i}: ${number}`]));
        console.log(`stamp at ${width}x${height}, 300 kbit/s: ${FRAMES - wrong.length} of ${FRAMES} frames read back`);
        assert.deepEqual(wrong, [], `${width}x${height}`);
      }
    },
  );
});
