import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { helpersOf, planStreams } from '../../src/streams/plan.ts';

const options = {
  firstHelperPort: 8555,
  staticBitrateKbps: 5000,
  startBitrateKbps: 2000,
  picture: { size: undefined, maxSize: { width: 1280, height: 720 }, fps: 0 },
  audio: true,
};
const VGA = { picture: { width: 640, height: 480, fps: 30 }, audio: undefined };
const files = (...paths: string[]) => paths.map((file) => ({ name: undefined, file }));

describe('planStreams', () => {
  it('serves every file twice: odd mounts static, even mounts dynamic, one helper port per file', () => {
    const streams = planStreams(files('a.mp4', 'b.mp4'), [VGA, VGA], options);
    assert.deepEqual(
      streams.map((s) => [s.name, s.mode, s.file, s.helperPort, s.startBitrateKbps]),
      [
        ['video1', 'static', 'a.mp4', 8555, 5000],
        ['video2', 'dynamic', 'a.mp4', 8555, 2000],
        ['video3', 'static', 'b.mp4', 8556, 5000],
        ['video4', 'dynamic', 'b.mp4', 8556, 2000],
      ],
    );
    assert.deepEqual(
      helpersOf(streams).map((helper) => [helper.name, helper.file, helper.port, helper.streams.length]),
      [
        ['video1+video2', 'a.mp4', 8555, 2],
        ['video3+video4', 'b.mp4', 8556, 2],
      ],
    );
  });

  it("sends a live source's audio as AAC (its own, else silence) unless --no-audio", () => {
    const camera = [{ name: undefined, file: 'rtsp://cam/1', uri: 'rtsp://cam/1' }];
    const [stream] = planStreams(camera, [VGA], options);
    assert.deepEqual(stream!.audio, { codec: 'aac', passthrough: false, source: "the source's" });
    assert.equal(stream!.audioText, "AAC audio (the source's, else silence)");
    const [off] = planStreams(camera, [VGA], { ...options, audio: false });
    assert.equal(off!.audio, undefined);
    assert.equal(off!.audioText, 'audio off (--no-audio)');
  });

  it('keeps mount numbers tied to the file position when a file is refused', () => {
    const streams = planStreams(files('bad.mp4', 'b.mp4'), [undefined, VGA], options);
    assert.deepEqual(
      streams.map((s) => s.name),
      ['video3', 'video4'],
    );
    assert.deepEqual(
      streams.map((s) => s.mount),
      ['/video3', '/video4'],
    );
  });

  it('mounts a named video at /NAME and /NAME/adaptive; the others keep their positional numbers', () => {
    const streams = planStreams([{ name: 'forest', file: '/v/forest.mp4' }, ...files('/v/b.mp4')], [VGA, VGA], options);
    assert.deepEqual(
      streams.map((s) => [s.mount, s.mode, s.helperPort]),
      [
        ['/forest', 'static', 8555],
        ['/forest/adaptive', 'dynamic', 8555],
        ['/video3', 'static', 8556],
        ['/video4', 'dynamic', 8556],
      ],
    );
    assert.deepEqual(
      helpersOf(streams).map((helper) => helper.name),
      ['forest', 'video3+video4'],
    );
  });
});
