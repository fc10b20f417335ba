// ensureSampleVideos for real: three clips generated with gst-launch-1.0 into a temporary
// folder (its name has a space, to exercise quoting), checked with gst-discoverer-1.0.

import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { probeVideos } from '../../src/inputs/probe.ts';
import { SAMPLE_VIDEOS, SampleVideoError, ensureSampleVideos, samplePipeline } from '../../src/inputs/sample-videos.ts';

describe('ensureSampleVideos', () => {
  let root: string;
  let dir: string;
  let paths: string[];
  const generated: string[] = [];

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'sample videos '));
    dir = join(root, 'videos');
    paths = await ensureSampleVideos(dir, { onGenerate: (path) => generated.push(path) });
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('generates three playable 640x480 30 fps 10 s H.264 clips', async () => {
    assert.deepEqual(
      paths,
      SAMPLE_VIDEOS.map((v) => join(dir, v.file)),
    );
    assert.deepEqual(generated.sort(), [...paths].sort());
    for (const result of await probeVideos(paths)) {
      assert.ok(result.ok, JSON.stringify(result));
      assert.deepEqual(
        [result.width, result.height, result.fps, result.durationS, result.codec],
        [640, 480, 30, 10, 'video/x-h264'],
      );
    }
    assert.deepEqual(readdirSync(dir).sort(), SAMPLE_VIDEOS.map((v) => v.file).sort(), 'no partial files left');
  });

  it('gives the clips clearly different bitrates', () => {
    const [ball, bars, snow] = paths.map((path) => statSync(path).size);
    assert.ok(ball !== undefined && bars !== undefined && snow !== undefined);
    assert.ok(ball * 5 < bars && bars * 2 < snow, `sizes ${ball} ${bars} ${snow}`);
  });

  it('is fast and generates nothing when the clips are there', async () => {
    const mtimes = paths.map((path) => statSync(path).mtimeMs);
    const calls: string[] = [];
    const started = performance.now();
    assert.deepEqual(await ensureSampleVideos(dir, { onGenerate: (path) => calls.push(path) }), paths);
    const elapsed = performance.now() - started;
    assert.deepEqual(calls, []);
    assert.deepEqual(
      paths.map((path) => statSync(path).mtimeMs),
      mtimes,
    );
    assert.ok(elapsed < 200, `took ${elapsed} ms`);
  });

  it('regenerates only a missing clip', async () => {
    const ball = paths[0] as string;
    unlinkSync(ball);
    const calls: string[] = [];
    await ensureSampleVideos(dir, { onGenerate: (path) => calls.push(path) });
    assert.deepEqual(calls, [ball]);
    assert.ok(statSync(ball).size > 0);
  });

  it('names the file and gst-launch exit code when generation fails, and leaves no partial file', async () => {
    const broken = join(root, 'broken');
    mkdirSync(broken);
    for (const path of paths.slice(1)) copyFileSync(path, join(broken, basename(path)));
    // filesink cannot open a directory: block the temporary name the ball clip will be written to.
    const blocker = `.sample-ball.mp4.${process.pid}.partial.mp4`;
    mkdirSync(join(broken, blocker));
    await assert.rejects(ensureSampleVideos(broken), (error: unknown) => {
      assert.ok(error instanceof SampleVideoError);
      assert.equal(error.path, join(broken, 'sample-ball.mp4'));
      assert.equal(typeof error.exitCode, 'number');
      assert.notEqual(error.exitCode, 0);
      assert.match(error.message, /sample-ball\.mp4: gst-launch-1\.0 exited with code \d+/);
      assert.match(error.stderrTail, /Could not open file .* for writing/);
      return true;
    });
    assert.deepEqual(readdirSync(broken).sort(), [blocker, 'sample-bars.mp4', 'sample-snow.mp4']);
  });
});

describe('samplePipeline', () => {
  it('quotes a location with spaces and quotes for gst-launch', () => {
    const args = samplePipeline(SAMPLE_VIDEOS[0]!, '/tmp/a "b" c.mp4');
    assert.equal(args.at(-1), 'location="/tmp/a \\"b\\" c.mp4"');
    assert.ok(args.includes('video/x-raw,format=I420,width=640,height=480,framerate=30/1'));
  });
});
