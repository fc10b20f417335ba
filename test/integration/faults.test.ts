// Faults, end to end: the real CLI, real helpers, real clients. "Other streams unaffected" means
// another mount's viewer decodes the whole stretch of stream it asked for, and at least 95 % of
// the frames the server sent it over that stretch by the run's metrics.ndjson
// (test/support/sent-frames.ts): judged against what was sent, not the wall clock, the file runs
// beside other test files on a loaded machine. A restart is timed by the server's own records.
// run-tests: early (about 90 s)
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
  closeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createServer, type Server } from 'node:net';
import { execa } from 'execa';
import { makeClip } from '../support/clips.ts';
import {
  readMetrics,
  readMetricsWhen,
  recordsOf,
  runningAgainAfterMs,
  type MetricRecord,
} from '../support/metrics-file.ts';
import { countFramesWithFfmpeg, type FfmpegResult } from '../support/rtsp-clients.ts';
import { assertPlayedStretch, metricsMark, TAIL_S, viewerDelivery } from '../support/sent-frames.ts';
import { findHelpers, portRange, waitFor } from '../../scripts/lib/processes.ts';
import { startServer, type RunningServer } from '../../scripts/lib/server.ts';
import { cpuPercent, sampleProcess } from '../../src/metrics/process-stats.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { portsOf } from '../support/ports.ts';

const PORTS = portsOf(import.meta.url);
const FPS = 30;
const urlOf = (port: number, mount: number): string => `rtsp://127.0.0.1:${port}/video${mount}`;

function helperPid(port: number): number {
  const [helper] = findHelpers([port]);
  assert.ok(helper, `a helper listens on ${port}`);
  return helper.pid;
}

/** Listens on `port`: false when it is taken (EADDRINUSE). */
function tryListen(squatter: Server, port: number): Promise<boolean> {
  return new Promise<boolean>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' ? resolve(false) : reject(error));
    squatter.once('error', onError);
    squatter.listen({ host: '127.0.0.1', port }, () => {
      squatter.off('error', onError);
      resolve(true);
    });
  });
}

/** Kills the helper on `port` and listens there; a restart that binds first is killed too, and the port tried again. */
async function takePortFromHelper(squatter: Server, port: number): Promise<void> {
  for (let attempt = 1; attempt <= 5; attempt++) {
    const victim = helperPid(port);
    process.kill(victim, 'SIGKILL');
    await waitFor(() => !findHelpers([port]).some(({ pid }) => pid === victim), 5_000, `helper ${victim} to exit`);
    // A dying process loses its memory (its /proc cmdline, which findHelpers reads) before its
    // sockets: on a busy machine the port stays taken a moment after. Until a restart takes it.
    const bound = await waitFor(
      async () => ((await tryListen(squatter, port)) ? 'bound' : findHelpers([port]).length > 0 && 'restarted'),
      5_000,
      `port ${port} to be free`,
    );
    if (bound === 'bound') return;
  }
  throw new Error(`port ${port}: a restarted helper took it first 5 times`);
}

/**
 * The viewer of `stream` that started after record `from` of the run in `runDir`, which asked for
 * `seconds` of stream, played them all and got what the server sent it meanwhile.
 */
async function assertUnaffected(
  runDir: string,
  stream: string,
  from: number,
  result: FfmpegResult,
  seconds: number,
  what: string,
): Promise<void> {
  assert.equal(result.exitCode, 0, `${what}: ${result.stderr}`);
  assertPlayedStretch(await viewerDelivery(runDir, stream, result, from), what, seconds);
}

/** Polls one frame of a mount until it plays; ms from `sinceMs`, or undefined after `limitMs`. */
async function playsAgainAfter(url: string, sinceMs: number, limitMs: number): Promise<number | undefined> {
  while (Date.now() - sinceMs < limitMs) {
    const result = await countFramesWithFfmpeg({ url, transport: 'tcp', frames: 1, timeoutS: 3 });
    if (result.exitCode === 0 && result.frames >= 1) return Date.now() - sinceMs;
    await sleep(100);
  }
  return undefined;
}

const count = (text: string, pattern: RegExp): number => text.match(new RegExp(pattern.source, 'g'))?.length ?? 0;

describe('faults: hung, crashed and removed helpers and files; stop with viewers', () => {
  const PORT = PORTS.at(0);
  // Three files, each served twice (static and dynamic) by one helper: a.mp4 by video1-2 on
  // PORT + 1, b.mp4 by 3-4 on PORT + 2, c.mp4 by 5-6 on PORT + 3.
  const HELPERS = portRange(PORT + 1, 3);
  const url = (mount: number) => urlOf(PORT, mount);
  const dir = mkdtempSync(join(tmpdir(), 'faults-test-'));
  const files = ['a.mp4', 'b.mp4', 'c.mp4'].map((name) => join(dir, name));
  let server: RunningServer;
  let runDir: string;

  before(async () => {
    // c.mp4 loops after 5 s: the removal test's viewer crosses that loop well within its 8 s.
    await Promise.all(
      files.map((path) =>
        makeClip({ path, seconds: path === files[2] ? 5 : 10, pattern: 'ball', width: 320, height: 240, fps: FPS }),
      ),
    );
    server = startServer([
      '--videos',
      ...files,
      '--port',
      String(PORT),
      '--out',
      join(dir, 'out'),
      '--duration',
      '600',
    ]);
    await server.waitForOutput(/RTSP server ready/, 60_000);
    runDir = realpathSync(join(dir, 'out', 'latest'));
  });

  after(async () => {
    if (server.process.exitCode === null) server.process.kill('SIGKILL');
    await server.process;
    for (const port of HELPERS) for (const { pid } of findHelpers([port])) process.kill(pid, 'SIGKILL');
  });

  it('hung helpers (SIGSTOP), one with a playing viewer, one idle: the watchdog kills each after 5 s without frames or heartbeat, restarts it; the gap is in the metrics; another video plays on', async () => {
    const from = await metricsMark(runDir);
    const other = countFramesWithFfmpeg({ url: url(5), transport: 'tcp', seconds: 14 });
    const victimViewer = countFramesWithFfmpeg({ url: url(2), transport: 'tcp', seconds: 30, timeoutS: 25 });
    await sleep(2_000);
    const victim = helperPid(PORT + 1);
    const idleVictim = helperPid(PORT + 2);
    process.kill(victim, 'SIGSTOP');
    process.kill(idleVictim, 'SIGSTOP');
    const stoppedAt = Date.now();
    // Frames and heartbeats both stop: whichever is 5 s overdue first names the hang.
    await server.waitForOutput(
      /video1\+video2: watchdog: no (frames|heartbeat) for 5 s; killing the helper \(pid \d+\) with SIGKILL/,
      10_000,
    );
    const detectedMs = Date.now() - stoppedAt;
    // 5 s after the last heartbeat (up to 1 s before the SIGSTOP) or frame, checked every 0.5 s.
    assert.ok(detectedMs >= 3_900 && detectedMs <= 7_000, `detected after ${detectedMs} ms`);
    await server.waitForOutput(
      /video1\+video2: helper was killed by SIGKILL after .* \(watchdog: no (frames|heartbeat) for 5 s\); restarting in 0.5 s/,
      5_000,
    );
    const playedAgainMs = await playsAgainAfter(url(2), stoppedAt, 15_000);
    assert.ok(playedAgainMs !== undefined, 'video2 plays again');
    assert.ok(!findHelpers([PORT + 1]).some(({ pid }) => pid === victim), 'the hung helper is gone');
    // The idle one writes no frames, but a heartbeat every second.
    await server.waitForOutput(
      /video3\+video4: helper was killed by SIGKILL after .* \(watchdog: no heartbeat for 5 s\); restarting in 0.5 s/,
      5_000,
    );
    assert.ok(!findHelpers([PORT + 2]).some(({ pid }) => pid === idleVictim), 'the hung idle helper is gone');
    assert.ok((await playsAgainAfter(url(4), stoppedAt, 15_000)) !== undefined, 'video4 plays again');
    await assertUnaffected(runDir, 'video5', from, await other, 14, 'the viewer of video5');
    await victimViewer;
    const stateNames = (records: MetricRecord[]) =>
      recordsOf(records, 'state', 'video2')
        .map((record) => record.state)
        .join(' ');
    const records = await readMetricsWhen(runDir, (soFar) => /restarting .*running/.test(stateNames(soFar)), 10_000);
    const states = recordsOf(records, 'state', 'video2').map(({ state, reason, last_exit }) => ({
      state,
      reason,
      last_exit,
    }));
    const gap = states.findIndex((record) => record.state === 'restarting');
    assert.match(String(states[gap]?.reason), /^watchdog: no (frames|heartbeat) for 5 s$/);
    assert.equal(states[gap]?.last_exit, 'was killed by SIGKILL');
    assert.deepEqual(
      states.slice(gap + 1).map((record) => record.state),
      ['starting', 'running'],
      JSON.stringify(states),
    );
    console.log(`watchdog: detected after ${detectedMs} ms, video2 played again ${playedAgainMs} ms after SIGSTOP`);
  });

  it('a helper killed by SIGSEGV is restarted with backoff: both mounts of its video run again within 3 s and play; another video plays on', async () => {
    const from = await metricsMark(runDir);
    const other = countFramesWithFfmpeg({ url: url(1), transport: 'udp', seconds: 8 });
    await sleep(1_000);
    // c.mp4's helper: the other two were restarted by the test before, and a second failure waits longer.
    process.kill(helperPid(PORT + 3), 'SIGSEGV');
    const killedAt = Date.now();
    await server.waitForOutput(/video5\+video6: helper was killed by SIGSEGV after .*; restarting in 0.5 s/, 5_000);
    const playedAgainMs = await Promise.all([5, 6].map((mount) => playsAgainAfter(url(mount), killedAt, 10_000)));
    // Back within 3 s by the server's own record of the helper's `ready`; a client's first frame
    // after it also waits for the polling FFmpeg to start and ask, which a loaded machine slows.
    for (const stream of ['video5', 'video6']) {
      const ms = await runningAgainAfterMs(runDir, stream, killedAt);
      assert.ok(ms !== undefined && ms <= 3_000, `${stream} running again ${ms} ms after the kill`);
    }
    for (const [i, ms] of playedAgainMs.entries())
      assert.ok(ms !== undefined, `video${5 + i} plays again (${ms} ms after the kill)`);
    await assertUnaffected(runDir, 'video1', from, await other, 8, 'the viewer of video1');
  });

  it('a file removed while it is streamed: logged once, its viewer keeps playing the open copy across the loop, another mount plays on', async () => {
    const from = await metricsMark(runDir);
    const other = countFramesWithFfmpeg({ url: url(1), transport: 'tcp', seconds: 10 });
    const viewer = countFramesWithFfmpeg({ url: url(5), transport: 'tcp', seconds: 10 });
    await sleep(2_000);
    const before = server.output();
    rmSync(files[2]!);
    await server.waitForOutput(/video5: .*c\.mp4 was removed while being served/, 6_000);
    const removedViewer = await viewer;
    await assertUnaffected(runDir, 'video1', from, await other, 10, 'the viewer of video1');
    // The helper has the file open: the 5 s clip loops from the open copy, nothing restarts.
    await assertUnaffected(runDir, 'video5', from, removedViewer, 10, 'the viewer of the removed file');
    const since = server.output().slice(before.length);
    assert.equal(count(since, /video5: .*was removed while being served/), 1, since);
    assert.equal(count(since, /video6: .*was removed while being served/), 1, since);
    assert.doesNotMatch(since, /video[56]: helper (exited|was killed)/);
    const removal = (records: MetricRecord[]) =>
      recordsOf(records, 'log', 'video5').some((record) => /c\.mp4 was removed/.test(String(record.message)));
    const logs = recordsOf(await readMetricsWhen(runDir, removal, 10_000), 'log', 'video5').filter(
      (record) => record.category === 'supervisor',
    );
    assert.ok(
      logs.some((record) => /c\.mp4 was removed while being served/.test(String(record.message))),
      'the removal is in the metrics',
    );
  });

  it('SIGTERM with viewers attached: helpers gone within the 5 s grace, metrics end with `end`, summary and report written', async () => {
    const viewers = [1, 2].map((mount) =>
      countFramesWithFfmpeg({ url: url(mount), transport: 'tcp', seconds: 30, timeoutS: 40 }),
    );
    await sleep(2_000);
    assert.equal(findHelpers(HELPERS).length, 3);
    server.process.kill('SIGTERM');
    const termAt = Date.now();
    await waitFor(() => findHelpers(HELPERS).length === 0, 5_500, 'every helper to exit');
    const helpersGoneMs = Date.now() - termAt;
    const result = await server.process;
    assert.equal(result.exitCode, 0, server.output());
    const records = readMetrics(runDir);
    assert.equal(records.at(-1)?.type, 'end');
    assert.ok(existsSync(join(runDir, 'summary.json')));
    assert.ok(statSync(join(runDir, 'report.html')).size > 0, 'report.html written');
    for (const viewer of await Promise.all(viewers)) assert.ok(viewer.frames > 0);
    console.log(`SIGTERM: helpers gone after ${helpersGoneMs} ms, server exited after ${Date.now() - termAt} ms`);
  });
});

describe('faults: SIGKILL of the supervisor with viewers attached', () => {
  it('leaves no helper behind', async () => {
    const PORT = PORTS.at(30);
    const dir = mkdtempSync(join(tmpdir(), 'faults-test-'));
    const server = startServer(['--port', String(PORT), '--out', join(dir, 'out')]);
    await server.waitForOutput(/RTSP server ready/, 60_000);
    const helpers = portRange(PORT + 1, 3);
    const viewers = [1, 2].map((mount) =>
      countFramesWithFfmpeg({ url: urlOf(PORT, mount), transport: 'tcp', seconds: 20, timeoutS: 25 }),
    );
    await sleep(2_000);
    assert.equal(findHelpers(helpers).length, 3);
    server.process.kill('SIGKILL');
    await server.process;
    await waitFor(() => findHelpers(helpers).length === 0, 3_000, 'every helper to exit');
    await Promise.all(viewers);
  });
});

describe(
  'faults: the metrics folder fills up mid-run',
  { skip: process.getuid?.() !== 0 && 'mounting a tmpfs needs root' },
  () => {
    const PORT = PORTS.at(40);
    // metrics.ndjson cannot say what was sent once its disk is full: the HTTP API's count can.
    const HTTP = PORTS.at(45);
    const dir = mkdtempSync(join(tmpdir(), 'faults-test-'));
    const out = join(dir, 'out');
    let server: RunningServer;

    before(async () => {
      mkdirSync(out);
      await execa('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', out]);
      const clip = join(dir, 'a.mp4');
      await makeClip({ path: clip, seconds: 10, pattern: 'ball', width: 320, height: 240, fps: FPS });
      server = startServer([
        '--videos',
        clip,
        '--port',
        String(PORT),
        '--http',
        String(HTTP),
        '--out',
        out,
        '--duration',
        '600',
      ]);
      await server.waitForOutput(/RTSP server ready/, 60_000);
    });

    after(async () => {
      if (server.process.exitCode === null) server.process.kill('SIGKILL');
      await server.process;
      await execa('umount', [out], { reject: false });
    });

    it('streaming goes on, one error names metrics.ndjson, every line written parses', async () => {
      /** Frames video1 has sent since the run started, by the server's own count (its HTTP API). */
      const framesSent = async () => {
        const response = await fetch(`http://127.0.0.1:${HTTP}/api/v1/streams/video1`);
        return ((await response.json()) as { frames_total: number }).frames_total;
      };
      // Nothing is sent without a viewer: what is sent from here until the count stops is the viewer's.
      const sentBefore = await framesSent();
      const viewer = countFramesWithFfmpeg({ url: urlOf(PORT, 1), transport: 'tcp', seconds: 8 });
      await sleep(2_000);
      // Take every free byte of the tmpfs.
      const filler = openSync(join(out, 'filler'), 'w');
      const block = Buffer.alloc(4096, 1);
      try {
        for (;;) writeSync(filler, block);
      } catch (error) {
        assert.equal((error as NodeJS.ErrnoException).code, 'ENOSPC');
      } finally {
        closeSync(filler);
      }
      await server.waitForOutput(/error: could not append to .*metrics\.ndjson: ENOSPC/, 10_000);
      const played = await viewer;
      assert.equal(played.exitCode, 0, played.stderr);
      // Its media stops with its TEARDOWN, and the count with it (frame records come in 250-ms batches).
      let sentUntilLeft = (await framesSent()) - sentBefore;
      for (let settled = false; !settled;) {
        await sleep(600);
        const now = (await framesSent()) - sentBefore;
        settled = now === sentUntilLeft;
        sentUntilLeft = now;
      }
      // The 8 s of stream it asked for, across the disk filling at 2 s; what was sent until it left,
      // less at most TAIL_S of stream after its last frame until its TEARDOWN, and at least 90 % of the
      // stretch's frames (the stream did not stop).
      const spanS = Math.max(...played.framePtsS) - Math.min(...played.framePtsS);
      const what = `the viewer decoded ${played.frames} frames over ${spanS.toFixed(2)} s of stream; ${sentUntilLeft} were sent until it left`;
      assert.ok(spanS >= 7.5, what);
      assert.ok(played.frames >= 0.95 * (sentUntilLeft - TAIL_S * FPS) - 1, what);
      assert.ok(sentUntilLeft >= 0.9 * (spanS * FPS + 1), what);
      server.process.kill('SIGTERM');
      const result = await server.process;
      const output = server.output();
      assert.equal(count(output, /could not append to/), 1, output);
      assert.equal(result.exitCode, 0, output);
      const runDir = realpathSync(join(out, 'latest'));
      const text = readFileSync(join(runDir, 'metrics.ndjson'), 'utf8');
      assert.ok(text.endsWith('\n'), 'no half line at the end');
      const records = text
        .split('\n')
        .slice(0, -1)
        .map((line) => JSON.parse(line) as { type: string });
      assert.equal(records[0]?.type, 'header');
      assert.ok(
        records.some((record) => record.type === 'state'),
        `${records.length} records kept`,
      );
    });
  },
);

/** The first half of `source`; or `source` with 4 KiB of random bytes in its middle. */
function truncatedCopy(source: string, target: string): void {
  const data = readFileSync(source);
  writeFileSync(target, data.subarray(0, Math.floor(data.length / 2)));
}

function corruptedCopy(source: string, target: string): void {
  const data = Buffer.from(readFileSync(source));
  const fd = openSync('/dev/urandom', 'r');
  readSync(fd, data, Math.floor(data.length / 2), 4096, null);
  closeSync(fd);
  writeFileSync(target, data);
}

describe('faults: hostile input files', () => {
  const PORT = PORTS.at(60);
  const dir = mkdtempSync(join(tmpdir(), 'faults-test-'));
  const path = (name: string) => join(dir, name);
  let server: RunningServer;

  let runDir: string;

  before(async () => {
    await Promise.all([
      makeClip({ path: path('good.mp4'), seconds: 6, pattern: 'ball', width: 320, height: 240, fps: FPS }),
      // moov at the start, so the first half still probes: the file ends mid-stream.
      execa('gst-launch-1.0', [
        '-q',
        '-e',
        'videotestsrc',
        'pattern=ball',
        'num-buffers=180',
        '!',
        'video/x-raw,width=320,height=240,framerate=30/1',
        '!',
        'x264enc',
        '!',
        'mp4mux',
        'faststart=true',
        '!',
        'filesink',
        `location=${path('faststart.mp4')}`,
      ]),
      execa('gst-launch-1.0', [
        '-q',
        '-e',
        'audiotestsrc',
        'num-buffers=200',
        '!',
        'audioconvert',
        '!',
        'vorbisenc',
        '!',
        'matroskamux',
        '!',
        'filesink',
        `location=${path('audio-only.mkv')}`,
      ]),
    ]);
    truncatedCopy(path('good.mp4'), path('truncated.mp4'));
    truncatedCopy(path('faststart.mp4'), path('truncated-faststart.mp4'));
    corruptedCopy(path('good.mp4'), path('corrupted.mp4'));
    mkdirSync(path('folder.mp4'));
    server = startServer([
      '--videos',
      path('good.mp4'),
      path('truncated.mp4'),
      path('truncated-faststart.mp4'),
      path('corrupted.mp4'),
      path('audio-only.mkv'),
      path('folder.mp4'),
      '/dev/zero',
      '--port',
      String(PORT),
      '--out',
      join(dir, 'out'),
      '--duration',
      '600',
    ]);
    await server.waitForOutput(/RTSP server ready/, 60_000);
    runDir = realpathSync(join(dir, 'out', 'latest'));
  });

  after(async () => {
    if (server.process.exitCode === null) server.process.kill('SIGKILL');
    await server.process;
  });

  it('refuses at start, naming the file: a truncated MP4 without its index, an MKV without video, a folder, a device', () => {
    const output = server.output();
    assert.match(output, /error: .*\/truncated\.mp4: .*; it is not served/);
    assert.match(output, /error: .*\/audio-only\.mkv: .*; it is not served/);
    assert.match(output, /error: .*\/folder\.mp4: is a directory, not a video file; it is not served/);
    assert.match(output, /error: \/dev\/zero: is a character device, not a regular file; it is not served/);
    console.log(
      output
        .split('\n')
        .filter((line) => / error: /.test(line))
        .join('\n'),
    );
  });

  it('files that probe but break mid-stream play or stop cleanly, never a crash loop; the good mount plays on', async () => {
    // The stream table: `videoN  mode  URL  file  ...  state`.
    const table = [...server.output().matchAll(/video(\d+) +\w+ +\S+ +(\S+) .* running/g)].map((match) => ({
      mount: Number(match[1]),
      file: match[2]!,
    }));
    const mountsOf = (file: string) => table.filter((row) => row.file === file).map((row) => row.mount);
    assert.deepEqual(mountsOf('good.mp4'), [1, 2]);
    const brokenMounts = [...mountsOf('truncated-faststart.mp4'), ...mountsOf('corrupted.mp4')];
    assert.equal(brokenMounts.length, 4, 'both files probe and are served (twice each)');
    const from = await metricsMark(runDir);
    const good = countFramesWithFfmpeg({ url: urlOf(PORT, 1), transport: 'tcp', seconds: 12 });
    const broken = await Promise.all(
      brokenMounts.map(async (mount) => {
        const result = await countFramesWithFfmpeg({
          url: urlOf(PORT, mount),
          transport: 'tcp',
          seconds: 10,
          timeoutS: 15,
        });
        return {
          mount,
          file: table.find((row) => row.mount === mount)!.file,
          exitCode: result.exitCode,
          frames: result.frames,
        };
      }),
    );
    for (const result of broken)
      assert.equal(result.exitCode, 0, `${result.file} (video${result.mount}) plays or ends cleanly`);
    await assertUnaffected(runDir, 'video1', from, await good, 12, 'the viewer of good.mp4');
    const output = server.output();
    assert.doesNotMatch(output, /giving up/);
    for (const { mount } of broken) {
      assert.ok(
        count(output, new RegExp(`video${mount}: helper (exited|was killed)`)) <= 1,
        `video${mount} restarted at most once:\n${output}`,
      );
    }
    console.log(`broken but served: ${JSON.stringify(broken)}`);
  });
});

describe('faults: a helper that served, then always fails', () => {
  // The default policy (0.5 s doubling to 30 s, then failing, retried every 30 s; a helper that
  // never got ready given up) is asserted with mocked timers in test/supervisor/; here the real
  // processes, with --restart-max-delay 4 to keep the suite short.
  it('is restarted after 0.5, 1, 2, 4 s (--restart-max-delay 4), then failing, retried every 4 s, never failed (503 meanwhile); the supervisor stays idle; another video plays on; it plays again once it can listen', async () => {
    const PORT = PORTS.at(80);
    const dir = mkdtempSync(join(tmpdir(), 'faults-test-'));
    const clips = ['a.mp4', 'b.mp4'].map((name) => join(dir, name));
    await Promise.all(
      clips.map((path) => makeClip({ path, seconds: 10, pattern: 'ball', width: 320, height: 240, fps: FPS })),
    );
    const server = startServer([
      '--videos',
      ...clips,
      '--port',
      String(PORT),
      '--out',
      join(dir, 'out'),
      '--duration',
      '600',
      '--restart-max-delay',
      '4',
    ]);
    const squatter = createServer();
    try {
      await server.waitForOutput(/RTSP server ready/, 60_000);
      // Kill the helper of b.mp4 (video3 and video4) and take its port: every restart then fails
      // to listen (exit 3).
      await takePortFromHelper(squatter, PORT + 2);
      const runDir = realpathSync(join(dir, 'out', 'latest'));
      const from = await metricsMark(runDir);
      const before = sampleProcess(server.process.pid!);
      const other = countFramesWithFfmpeg({ url: urlOf(PORT, 1), transport: 'tcp', seconds: 10 });
      // The 5th end comes after the 4 s wait: failing; the 6th, 4 s later, still failing.
      await server.waitForOutput(/video3\+video4: .*; failing \(6 failures in a row\)/, 90_000);
      const after = sampleProcess(server.process.pid!);
      await assertUnaffected(runDir, 'video1', from, await other, 10, 'the viewer of video1');
      const output = server.output();
      const delays = [...output.matchAll(/video3\+video4: helper .*; restarting in ([\d.]+) s/g)].map((match) =>
        Number(match[1]),
      );
      assert.deepEqual(delays, [0.5, 1, 2, 4], output);
      const failing = new RegExp(
        `video3\\+video4: helper exited with code 3 after [\\d.]+ s, it said "listen_failed: cannot listen on 127\\.0\\.0\\.1:${PORT + 2}: [^"]+"; failing \\((5|6) failures in a row\\): it has served, so it is retried every 4 s, never given up`,
        'g',
      );
      assert.deepEqual(
        [...output.matchAll(failing)].map((match) => Number(match[1])),
        [5, 6],
        output,
      );
      assert.doesNotMatch(output, /giving up/);
      const cpu = cpuPercent(before, after);
      assert.ok(
        cpu < 25,
        `the supervisor used ${cpu.toFixed(1)} % of a core over ${((after.atMs - before.atMs) / 1000).toFixed(0)} s`,
      );
      const answer = await countFramesWithFfmpeg({ url: urlOf(PORT, 4), transport: 'tcp', frames: 1, timeoutS: 5 });
      assert.match(answer.stderr, /503/, 'the front door answers a failing mount with 503');
      const states = (records: MetricRecord[]) => recordsOf(records, 'state', 'video4');
      const video4States = states(
        await readMetricsWhen(
          runDir,
          (records) => states(records).filter((record) => record.state === 'failing').length >= 2,
          10_000,
        ),
      );
      const failingRecords = video4States.filter((record) => record.state === 'failing').slice(0, 2);
      assert.deepEqual(
        failingRecords.map((record) => [record.failures, record.exit]),
        [
          [5, 'code_3'],
          [6, 'code_3'],
        ],
      );
      for (const record of failingRecords)
        assert.match(
          String(record.start_error),
          new RegExp(`^listen_failed: cannot listen on 127\\.0\\.0\\.1:${PORT + 2}: `),
        );
      assert.ok(!video4States.some((record) => record.state === 'failed'));
      // Its port free again, the next retry (at most 4 s on) serves.
      const freedAt = Date.now();
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
      const playedAgainMs = await playsAgainAfter(urlOf(PORT, 4), freedAt, 10_000);
      assert.ok(playedAgainMs !== undefined, `video4 plays again once its helper can listen:\n${server.output()}`);
      assert.match(server.output(), /video3\+video4: helper running again \(pid \d+\) after \d+ failures in a row/);
      console.log(
        `always failing: delays ${delays.join(', ')} s, then failing every 4 s; supervisor CPU ${cpu.toFixed(1)} % over ${((after.atMs - before.atMs) / 1000).toFixed(0)} s; played again ${playedAgainMs} ms after its port was freed`,
      );
    } finally {
      squatter.close();
      server.process.kill('SIGKILL');
      await server.process;
    }
  });
});
