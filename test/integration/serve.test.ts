// End to end: the real CLI, real helpers, real RTSP clients through the front door. What a client
// decoded is judged against what the server's metrics.ndjson says it sent that client
// (test/support/sent-frames.ts), and a restart by the server's own records, not by the wall clock:
// the file runs beside other test files on a loaded machine.
import assert from 'node:assert/strict';
import { mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { makeClip } from '../support/clips.ts';
import { countFramesWithFfmpeg, playWithGstreamer } from '../support/rtsp-clients.ts';
import { findHelpers, portRange, waitFor } from '../../scripts/lib/processes.ts';
import { REPO_ROOT, startServer, type RunningServer } from '../../scripts/lib/server.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { portsOf } from '../support/ports.ts';
import { runningAgainAfterMs } from '../support/metrics-file.ts';
import { assertPlayedStretch, assertPlayedUntilLeft, metricsMark, viewerDelivery } from '../support/sent-frames.ts';

const PORT = portsOf(import.meta.url).at(0);
const url = (mount: number): string => `rtsp://127.0.0.1:${PORT}/video${mount}`;

describe('npm start: serving through the front door', () => {
  const dir = mkdtempSync(join(tmpdir(), 'serve-test-'));
  let server: RunningServer;
  let runDir: string;

  before(async () => {
    const short = join(dir, 'short.mp4');
    const long = join(dir, 'long.mp4');
    const notVideo = join(dir, 'notes.mp4');
    await Promise.all([
      makeClip({ path: short, seconds: 3, pattern: 'ball', width: 320, height: 240, fps: 30 }),
      makeClip({ path: long, seconds: 10, pattern: 'smpte', width: 1280, height: 720, fps: 30 }),
    ]);
    writeFileSync(notVideo, 'not a video\n');
    server = startServer([
      '--videos',
      short,
      notVideo,
      long,
      join(dir, 'missing.mp4'),
      '--port',
      String(PORT),
      '--out',
      join(dir, 'out'),
      '--duration',
      '300',
      // The 1280x720 file is shrunk to fit, keeping its shape; the 320x240 one is served as it is.
      '--max-size',
      '640x480',
    ]);
    await server.waitForOutput(/RTSP server ready/, 60_000);
    runDir = realpathSync(join(dir, 'out', 'latest'));
  });

  after(async () => {
    server.process.kill('SIGKILL');
    await server.process;
  });

  it('names the refused files and serves the others under stable mount numbers', () => {
    const output = server.output();
    assert.match(output, /notes\.mp4: .*it is not served/);
    assert.match(output, /missing\.mp4: does not exist; it is not served/);
    for (const mount of [1, 2, 5, 6]) assert.match(output, new RegExp(`video${mount} .* running`));
    assert.doesNotMatch(output, /video3 |video4 /);
  });

  for (const transport of ['udp', 'tcp'] as const) {
    // FFmpeg reports rarely over UDP: a dynamic mount answers its UDP SETUP with 461 and it plays
    // over TCP, where the send queue is its signal (--dynamic-transport auto).
    it(`every mount plays its file's picture in H.264 over ${transport}, each viewer all the server sent it (the dynamic ones: FFmpeg's own choice)`, async () => {
      const from = await metricsMark(runDir);
      const mounts = [1, 2, 5, 6];
      const results = await Promise.all(
        mounts.map((mount) =>
          countFramesWithFfmpeg({
            url: url(mount),
            transport: mount % 2 === 0 && transport === 'udp' ? undefined : transport,
            seconds: 2,
          }),
        ),
      );
      for (const [i, result] of results.entries()) {
        const stream = `video${mounts[i]}`;
        assert.equal(result.exitCode, 0, `${stream}: ${result.stderr}`);
        const size = i < 2 ? [320, 240] : [640, 360];
        assert.deepEqual([result.codec, result.width, result.height], ['h264', ...size], stream);
        const what = `the viewer of ${stream} (${result.packets.length} packets received; ${result.stderr || 'no stderr'})`;
        assertPlayedStretch(await viewerDelivery(runDir, stream, result, from), what, 2);
      }
    });
  }

  it('answers an FFmpeg that insists on UDP at a dynamic mount with 461 Unsupported Transport', async () => {
    const result = await countFramesWithFfmpeg({ url: url(2), transport: 'udp', seconds: 1 });
    assert.notEqual(result.exitCode, 0);
    assert.match(result.stderr, /461 Unsupported transport/i);
  });

  it('answers an unknown or refused mount with 404', async () => {
    const result = await countFramesWithFfmpeg({ url: url(3), transport: 'tcp', seconds: 1 });
    assert.notEqual(result.exitCode, 0);
    assert.match(result.stderr, /404 Not Found/);
  });

  it('plays through the redirect with GStreamer rtspsrc', async () => {
    const from = await metricsMark(runDir);
    const result = await playWithGstreamer({ url: url(6), seconds: 3 });
    assert.equal(result.exitCode, 0, result.stderr);
    assertPlayedUntilLeft(await viewerDelivery(runDir, 'video6', result, from), 'the viewer');
  });

  it('crosses the loop of a 3-second clip with no client error', async () => {
    const from = await metricsMark(runDir);
    const result = await countFramesWithFfmpeg({ url: url(1), transport: 'udp', seconds: 8 });
    assert.equal(result.exitCode, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /error/i);
    // 8 s of stream from its first key frame, less up to a second: two loop points of the clip.
    assertPlayedStretch(await viewerDelivery(runDir, 'video1', result, from), 'the viewer', 8);
  });

  it("restarts a SIGKILLed helper: both mounts of its video run again within 3 s and play, another video's viewer never stops", async () => {
    // Receive only: what the other video's helper sent, not what a client decoding 720p-sourced
    // frames beside a restart and two pollers on two cores keeps up with.
    const from = await metricsMark(runDir);
    const viewer = countFramesWithFfmpeg({ url: url(5), transport: 'tcp', seconds: 8, decode: false });
    await sleep(1_000);
    const [victim] = findHelpers([PORT + 1]);
    assert.ok(victim, 'the helper of video1 and video2 is running');
    process.kill(victim.pid, 'SIGKILL');
    const killedAt = Date.now();
    await server.waitForOutput(/video1\+video2: helper was killed by SIGKILL .* restarting in 0.5 s/, 5_000);
    const playsAgain = async (mount: number): Promise<number | undefined> => {
      while (Date.now() - killedAt < 10_000) {
        const result = await countFramesWithFfmpeg({ url: url(mount), transport: 'tcp', frames: 1, timeoutS: 3 });
        if (result.exitCode === 0 && result.frames >= 1) return Date.now() - killedAt;
        await sleep(100);
      }
      return undefined;
    };
    const playedAgainMs = await Promise.all([1, 2].map(playsAgain));
    // Back within 3 s by the server's own record of the helper's `ready`; a client's first frame
    // after it also waits for the client to start and ask, which a loaded machine slows.
    for (const stream of ['video1', 'video2']) {
      const ms = await runningAgainAfterMs(runDir, stream, killedAt);
      assert.ok(ms !== undefined && ms <= 3_000, `${stream} running again ${ms} ms after the kill`);
    }
    for (const [i, ms] of playedAgainMs.entries())
      assert.ok(ms !== undefined, `video${i + 1} plays again (${ms} ms after the kill)`);
    const other = await viewer;
    assert.equal(other.exitCode, 0, other.stderr);
    assertPlayedStretch(await viewerDelivery(runDir, 'video5', other, from), "the other video's viewer", 8);
  });
});

describe('npm start: stopping', () => {
  it('SIGTERM stops every helper and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'serve-test-'));
    const server = startServer(['--port', String(PORT + 20), '--out', join(dir, 'out')]);
    await server.waitForOutput(/RTSP server ready/, 60_000);
    assert.equal(findHelpers(portRange(PORT + 21, 3)).length, 3, 'one helper per video');
    server.process.kill('SIGTERM');
    const result = await server.process;
    assert.equal(result.exitCode, 0, server.output());
    assert.deepEqual(findHelpers(portRange(PORT + 21, 3)), []);
  });

  it('SIGTERM to `npm start` reaches the server: nothing is left running', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'serve-test-'));
    const ports = portRange(PORT + 61, 3);
    const npm = execa('npm', ['start', '--', '--port', String(PORT + 60), '--http', '0', '--out', join(dir, 'out')], {
      cwd: REPO_ROOT,
      reject: false,
    });
    await waitFor(() => findHelpers(ports).length === 3, 60_000, 'three helpers');
    npm.kill('SIGTERM');
    await npm;
    await waitFor(() => findHelpers(ports).length === 0, 8_000, 'every helper to exit');
    const { stdout, exitCode } = await execa('pgrep', ['-f', `src/cli.ts --port ${PORT + 60}`], { reject: false });
    assert.equal(exitCode, 1, 'pgrep ran and matched nothing');
    assert.equal(stdout, '', 'the supervisor is gone');
  });

  it('leaves no helper behind when the supervisor is killed with SIGKILL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'serve-test-'));
    const server = startServer(['--port', String(PORT + 40), '--out', join(dir, 'out')]);
    await server.waitForOutput(/RTSP server ready/, 60_000);
    const ports = portRange(PORT + 41, 3);
    assert.equal(findHelpers(ports).length, 3);
    server.process.kill('SIGKILL');
    await server.process;
    await waitFor(() => findHelpers(ports).length === 0, 3_000, 'every helper to exit');
    const { stdout, exitCode } = await execa('pgrep', ['-f', `rtsp-helper.*--port ${PORT + 41}`], { reject: false });
    assert.equal(exitCode, 1, 'pgrep ran and matched nothing');
    assert.equal(stdout, '');
  });
});
