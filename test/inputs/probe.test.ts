// probeVideo against real files and a real gst-discoverer-1.0 (and two fakes, for a hang and
// a crash).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ProbeToolError, probeVideo, probeVideos, type ProbeResult } from '../../src/inputs/probe.ts';

const codeOf = (result: ProbeResult): string => (result.ok ? 'ok' : result.code);
const reasonOf = (result: ProbeResult): string => (result.ok ? '' : result.reason);

describe('probeVideo', () => {
  let dir: string;
  let clip: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'probe-test-'));
    clip = join(dir, 'clip.mp4');
    // 2 s at 25 fps, 320x240: not the sample format, so the numbers below come from the file.
    execFileSync('gst-launch-1.0', [
      '-q',
      'videotestsrc',
      'num-buffers=50',
      '!',
      'video/x-raw,format=I420,width=320,height=240,framerate=25/1',
      '!',
      'x264enc',
      'speed-preset=ultrafast',
      '!',
      'h264parse',
      '!',
      'mp4mux',
      '!',
      'filesink',
      `location=${clip}`,
    ]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a real clip', async () => {
    assert.deepEqual(await probeVideo(clip), {
      ok: true,
      path: clip,
      width: 320,
      height: 240,
      fps: 25,
      durationS: 2,
      codec: 'video/x-h264',
    });
  });

  it('reports a missing file', async () => {
    const result = await probeVideo(join(dir, 'nope.mp4'));
    assert.equal(codeOf(result), 'not-found');
    assert.equal(reasonOf(result), 'does not exist');
  });

  it('reports a directory', async () => {
    assert.equal(codeOf(await probeVideo(dir)), 'directory');
  });

  it('reports a character device (/dev/null)', async () => {
    const result = await probeVideo('/dev/null');
    assert.equal(codeOf(result), 'not-regular-file');
    assert.match(reasonOf(result), /character device/);
  });

  it('reports a FIFO without blocking on it', async () => {
    const fifo = join(dir, 'pipe.mp4');
    execFileSync('mkfifo', [fifo]);
    const result = await probeVideo(fifo);
    assert.equal(codeOf(result), 'not-regular-file');
    assert.match(reasonOf(result), /FIFO/);
  });

  it('reports an empty file', async () => {
    const empty = join(dir, 'empty.mp4');
    writeFileSync(empty, '');
    assert.equal(reasonOf(await probeVideo(empty)), 'is empty (0 bytes)');
  });

  it('reports a text file named .mp4', async () => {
    const text = join(dir, 'text.mp4');
    writeFileSync(text, 'not a video\n');
    const result = await probeVideo(text);
    assert.equal(codeOf(result), 'not-decodable');
    assert.match(reasonOf(result), /not a media file/);
  });

  it('reports a truncated MP4 (its first 2 KB)', async () => {
    const truncated = join(dir, 'truncated.mp4');
    writeFileSync(truncated, readFileSync(clip).subarray(0, 2048));
    const result = await probeVideo(truncated);
    assert.equal(codeOf(result), 'not-decodable');
    assert.match(reasonOf(result), /corrupt or truncated/);
  });

  it('reports an audio-only file', async () => {
    const wav = join(dir, 'tone.wav');
    execFileSync('gst-launch-1.0', [
      '-q',
      'audiotestsrc',
      'num-buffers=100',
      '!',
      'wavenc',
      '!',
      'filesink',
      `location=${wav}`,
    ]);
    const result = await probeVideo(wav);
    assert.equal(codeOf(result), 'no-video-stream');
    assert.match(reasonOf(result), /only audio/);
  });

  it(
    'reports an unreadable file when not root',
    { skip: process.getuid?.() === 0 && 'root reads any file' },
    async () => {
      const secret = join(dir, 'secret.mp4');
      writeFileSync(secret, readFileSync(clip));
      chmodSync(secret, 0o000);
      assert.equal(codeOf(await probeVideo(secret)), 'not-readable');
    },
  );

  it('times out and kills a probe that hangs, after a second try', async () => {
    const fake = join(dir, 'hanging-discoverer');
    writeFileSync(fake, '#!/bin/sh\nexec sleep 30\n', { mode: 0o755 });
    const started = Date.now();
    const result = await probeVideo(clip, { discoverer: fake, timeoutMs: 300 });
    assert.equal(codeOf(result), 'timeout');
    assert.match(reasonOf(result), /within 0.3 s, twice/);
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
  });

  it('reports a probe that crashes, with its signal', async () => {
    const fake = join(dir, 'crashing-discoverer');
    writeFileSync(fake, '#!/bin/sh\necho boom >&2\nkill -SEGV $$\n', { mode: 0o755 });
    const result = await probeVideo(clip, { discoverer: fake });
    assert.equal(codeOf(result), 'not-decodable');
    assert.ok(!result.ok);
    assert.equal(result.signal, 'SIGSEGV');
    assert.match(result.reason, /killed by SIGSEGV.*boom/);
  });

  it('throws ProbeToolError when the discoverer is not installed', async () => {
    await assert.rejects(probeVideo(clip, { discoverer: join(dir, 'no-such-tool') }), (error: unknown) => {
      assert.ok(error instanceof ProbeToolError);
      assert.match(error.message, /not installed/);
      return true;
    });
  });

  it('probeVideos keeps the order of its input', async () => {
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    const results = await probeVideos([clip, sub, join(dir, 'nope.mp4'), clip], { concurrency: 2 });
    assert.deepEqual(results.map(codeOf), ['ok', 'directory', 'not-found', 'ok']);
    assert.deepEqual(await probeVideos([]), []);
  });
});
