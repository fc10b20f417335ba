// Live sources (issue 24), with real sources started by the test on loopback: an RTSP camera that is
// not this project (GStreamer's RTSP server from Python), an SRT sender (FFmpeg), a source that is
// never there and one that sends garbage, MPEG-TS over UDP, HLS over HTTP; real helpers and real
// clients. Their audio: the camera's own, silence for a camera without, in step with the picture.
// run-tests: early (about 60 s)
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { createServer as createHttpServer } from 'node:http';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { startServer } from '../../scripts/lib/server.ts';
import {
  avOffsetsMs,
  listenWithFfmpeg,
  makeFlashBeepClip,
  streamCodecs,
  watchFlashesAndBeeps,
} from '../support/av-sync.ts';
import { Camera } from '../support/camera.ts';
import { HelperLauncher, quitHelper, type Helper } from '../support/helper-launcher.ts';
import { portsOf } from '../support/ports.ts';
import { countFramesWithFfmpeg, playWithGstreamer } from '../support/rtsp-clients.ts';

const PORTS = portsOf(import.meta.url);
const helpers = new HelperLauncher(PORTS.range(0, 30));
const FPS = 25;
const adaptive = ['--adaptive-mount', '/video2', '--adaptive', '--width', '640', '--height', '480'];
/** A live source's audio: 48-kHz AAC, 1024 samples a frame. */
const AUDIO_FRAMES_PER_S = 48_000 / 1024;

/** The longest stretch of an audio stream without a frame, and the stream time it began at (s). */
function longestAudioGap(frames: readonly { timeS: number }[]): { gapS: number; atS: number } {
  let longest = { gapS: Infinity, atS: 0 };
  frames.slice(1).forEach((frame, i) => {
    const gapS = frame.timeS - frames[i]!.timeS;
    if (longest.gapS === Infinity || gapS > longest.gapS) longest = { gapS, atS: frames[i]!.timeS };
  });
  return longest;
}

/** Frames a viewer got, and the longest stretch of its stream without one (s). */
function continuity(packets: readonly { ptsS: number }[]): { frames: number; longestGapS: number } {
  const pts = packets.map((packet) => packet.ptsS);
  const gaps = pts.slice(1).map((t, i) => t - pts[i]!);
  return { frames: pts.length, longestGapS: gaps.length === 0 ? Infinity : Math.max(...gaps) };
}

/** The states a helper's source went through, in order (a new error in the same state is a record, not a state). */
function sourceStates(helper: Helper): string[] {
  const states = helper.records.records.flatMap((record) => (record.type === 'source' ? [record.state] : []));
  return states.filter((state, i) => state !== states[i - 1]);
}

after(() => helpers.killAll());

describe('an RTSP camera', () => {
  const camera = new Camera({ port: PORTS.at(30) });
  before(() => camera.start());
  after(() => camera.stop());

  it('is pulled only while watched (and its linger); FFmpeg and rtspsrc play both mounts from one pull', async () => {
    const helper = await helpers.startLive(camera.url, [...adaptive, '--linger', '1']);
    await sleep(1500);
    assert.equal(camera.peakClients, 0, 'nobody watches: the camera is not pulled');
    const dynamic = helper.url.replace(/video1$/, 'video2');
    const [ffmpeg, gstreamer] = await Promise.all([
      countFramesWithFfmpeg({ url: helper.url, transport: 'tcp', seconds: 4 }),
      playWithGstreamer({ url: dynamic, transport: 'udp', seconds: 4 }),
    ]);
    assert.ok(ffmpeg.frames >= 3 * FPS, `FFmpeg decoded ${ffmpeg.frames} frames in 4 s: ${ffmpeg.stderr}`);
    assert.deepEqual([ffmpeg.width, ffmpeg.height], [640, 480]);
    assert.equal(gstreamer.exitCode, 0, gstreamer.stderr);
    assert.ok(gstreamer.frames >= 3 * FPS, `rtspsrc decoded ${gstreamer.frames} frames in 4 s`);
    assert.equal(camera.peakClients, 1, 'two viewers of two mounts, one pull');
    await helper.records.waitForRecord('source', { match: (record) => record.state === 'idle', timeoutMs: 8000 });
    for (let i = 0; i < 20 && camera.clients > 0; i++) await sleep(100);
    assert.equal(camera.clients, 0, 'let go after the last viewer and the linger');
    assert.deepEqual(sourceStates(helper), ['connecting', 'live', 'idle']);
    await quitHelper(helper);
  });

  it('goes away for 10 s: the viewer keeps its session, its frames and its audio (silence: the camera has none), and the live picture is back within 2 s', async () => {
    const helper = await helpers.startLive(camera.url, [...adaptive, '--audio', 'aac']);
    const viewing = countFramesWithFfmpeg({ url: helper.url, transport: 'tcp', seconds: 22, decode: false });
    await helper.records.waitForRecord('source', { match: (record) => record.state === 'live', timeoutMs: 10_000 });
    // A second viewer, once the first plays: it listens through the outage.
    const listening = listenWithFfmpeg(helper.url, 'tcp', 18);
    await sleep(4000);
    await camera.stop();
    await helper.records.waitForRecord('source', { match: (record) => record.state === 'lost', timeoutMs: 5000 });
    await sleep(10_000);
    const from = helper.records.count();
    await camera.start();
    const back = Date.now();
    await helper.records.waitForRecord('source', { from, match: (record) => record.state === 'live', timeoutMs: 5000 });
    const resumedS = (Date.now() - back) / 1000;
    const viewer = await viewing;
    // From 3 s of stream time: FFmpeg lines the streams up on each one's first sender report, which
    // can move either stream's timestamps once before then. The camera goes away at 4 s or later.
    const { frames, longestGapS } = continuity(viewer.packets.filter((packet) => packet.ptsS >= 3));
    console.log(
      `camera off 10 s: live again ${resumedS.toFixed(2)} s after it came back; the viewer got ${frames} frames from 3 s on, longest gap ${longestGapS.toFixed(2)} s`,
    );
    assert.ok(resumedS <= 2, `live again ${resumedS.toFixed(2)} s after the camera came back`);
    assert.ok(frames >= 0.9 * 19 * FPS, `the viewer got ${frames} frames in its last 19 s: ${viewer.stderr}`);
    assert.ok(longestGapS < 0.5, `its stream went ${longestGapS.toFixed(2)} s without a frame`);
    assert.deepEqual(sourceStates(helper).slice(0, 4), ['connecting', 'live', 'lost', 'live']);
    const audio = await listening;
    // From 3 s too, as for the picture; the camera goes away 4 s after this viewer came.
    const gap = longestAudioGap(audio.filter((frame) => frame.timeS >= 3));
    console.log(
      `its audio: ${audio.length} frames in 18 s, longest gap ${gap.gapS.toFixed(2)} s (at ${gap.atS.toFixed(2)} s)`,
    );
    assert.ok(audio.length >= 0.9 * 18 * AUDIO_FRAMES_PER_S, `${audio.length} audio frames in 18 s`);
    assert.ok(gap.gapS < 0.5, `its audio went ${gap.gapS.toFixed(2)} s without a frame`);
    assert.ok(
      audio.every((frame) => frame.rmsDb < -60),
      'all of it silence',
    );
    await quitHelper(helper);
  });

  it('--always-on: pulled from the start, watched or not', async () => {
    const helper = await helpers.startLive(camera.url, ['--always-on']);
    await helper.records.waitForRecord('source', { match: (record) => record.state === 'live', timeoutMs: 10_000 });
    // At least its own: the last test's helper may not have been counted out yet on a loaded machine.
    assert.ok(camera.clients >= 1, `the camera has ${camera.clients} clients`);
    await quitHelper(helper);
  });
});

describe('audio from a live source', () => {
  const camera = new Camera({ port: PORTS.at(37), audio: true });
  before(() => camera.start());
  after(() => camera.stop());

  it("a camera's own audio (AAC, 16 kHz mono) goes out as AAC, 48 kHz stereo, and is heard", async () => {
    const helper = await helpers.startLive(camera.url, [...adaptive, '--audio', 'aac']);
    const dynamic = helper.url.replace(/video1$/, 'video2');
    assert.deepEqual(await streamCodecs(dynamic, 'tcp'), ['h264', 'aac']);
    const audio = await listenWithFfmpeg(dynamic, 'tcp', 4);
    const loud = audio.filter((frame) => frame.rmsDb > -30).length;
    assert.ok(audio.length >= 3 * AUDIO_FRAMES_PER_S, `${audio.length} audio frames in 4 s`);
    assert.ok(loud >= 0.8 * audio.length, `${loud} of ${audio.length} frames carry the tone`);
    await quitHelper(helper);
  });

  it('MPEG-TS over UDP that flashes and beeps together: its audio within 100 ms of its picture', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'live-av-'));
    const clip = join(dir, 'flash-beep.mp4');
    await makeFlashBeepClip({ path: clip, seconds: 4, audio: ['-c:a', 'aac'] });
    const port = PORTS.at(38);
    const sender = execa(
      'ffmpeg',
      [
        ...['-nostdin', '-v', 'error', '-re', '-stream_loop', '-1', '-i', clip, '-c', 'copy'],
        ...['-f', 'mpegts', `udp://127.0.0.1:${port}?pkt_size=1316`],
      ],
      { reject: false },
    );
    try {
      const helper = await helpers.startLive(`udp://127.0.0.1:${port}`, [
        ...['--width', '320', '--height', '240', '--audio', 'aac'],
      ]);
      const seen = await watchFlashesAndBeeps(helper.url, 'tcp', 10);
      // From FFmpeg's first sender reports (it lines the streams up from them) to the last beep heard.
      const lastBeepS = Math.max(...seen.beepsS);
      const offsets = avOffsetsMs({ ...seen, flashesS: seen.flashesS.filter((t) => t >= 2 && t <= lastBeepS + 0.5) });
      console.log(`live audio against its picture: ${offsets.map((ms) => Math.round(ms)).join(', ')} ms`);
      assert.ok(offsets.length >= 6, `flashes seen: ${seen.flashesS.join(' ')}; beeps: ${seen.beepsS.join(' ')}`);
      assert.ok(
        offsets.every((ms) => Math.abs(ms) <= 100),
        `audio against video: ${offsets.join(', ')} ms`,
      );
      await quitHelper(helper);
    } finally {
      sender.kill();
      await sender;
    }
  });
});

describe('sources that are not what they should be', () => {
  it('never there: the helper serves the slate, and says so once, however often it retries', async () => {
    const helper = await helpers.startLive(`rtsp://127.0.0.1:${PORTS.at(31)}/cam`, adaptive);
    const played = await countFramesWithFfmpeg({ url: helper.url, transport: 'tcp', seconds: 4 });
    assert.ok(played.frames >= 2 * FPS, `the slate: ${played.frames} frames in 4 s: ${played.stderr}`);
    const states = helper.records.records.flatMap((record) => (record.type === 'source' ? [record] : []));
    const retries = helper.records.records.flatMap((record) => (record.type === 'source_stats' ? [record] : []));
    assert.ok(retries.at(-1)!.reconnects >= 2, `tried ${retries.at(-1)!.reconnects} times`);
    // Its first word, then the error of its first attempt: not one per attempt.
    assert.deepEqual(
      states.map((record) => record.state),
      ['connecting', 'connecting'],
    );
    assert.match(states[1]!.error ?? '', /Could not open resource/);
    await quitHelper(helper);
  });

  it('20 MB of garbage on its socket: the helper stays up and serves the slate', async () => {
    const junk = Buffer.alloc(20 * 1024 * 1024, 0x5a);
    const server: Server = createServer((socket) => {
      socket.on('error', () => {});
      socket.end(junk);
    });
    await new Promise<void>((resolve) => server.listen(PORTS.at(32), '127.0.0.1', resolve));
    try {
      const helper = await helpers.startLive(`rtsp://127.0.0.1:${PORTS.at(32)}/cam`, adaptive);
      const played = await countFramesWithFfmpeg({ url: helper.url, transport: 'tcp', seconds: 3 });
      assert.ok(played.frames >= FPS, `${played.frames} frames in 3 s: ${played.stderr}`);
      assert.notEqual(sourceStates(helper).at(-1), 'live');
      await quitHelper(helper);
    } finally {
      server.close();
    }
  });
});

describe('an SRT sender', () => {
  it('is pulled as a caller and played', async () => {
    const port = PORTS.at(33);
    const sender = tsSender('640x480', 30, ['-f', 'mpegts', `srt://127.0.0.1:${port}?mode=listener`]);
    try {
      const helper = await helpers.startLive(`srt://127.0.0.1:${port}`, adaptive);
      const played = await countFramesWithFfmpeg({ url: helper.url, transport: 'tcp', seconds: 5 });
      assert.ok(played.frames >= 4 * FPS, `${played.frames} frames in 5 s: ${played.stderr}`);
      assert.ok(sourceStates(helper).includes('live'), JSON.stringify(sourceStates(helper)));
      await quitHelper(helper);
    } finally {
      sender.kill('SIGKILL');
      await sender;
    }
  });
});

/** FFmpeg sending a 25 fps test picture of `size` in MPEG-TS to `target`, for `seconds`. */
function tsSender(size: string, seconds: number, target: readonly string[]) {
  return execa(
    'ffmpeg',
    [
      ...['-nostdin', '-v', 'error', '-re', '-f', 'lavfi', '-i', `testsrc=size=${size}:rate=${FPS}`],
      ...['-t', String(seconds), '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', String(FPS)],
      ...target,
    ],
    { reject: false },
  );
}

describe('MPEG-TS over UDP', () => {
  it("is played at the mount's size when the sender changes resolution mid-stream", async () => {
    const port = PORTS.at(35);
    const helper = await helpers.startLive(`udp://127.0.0.1:${port}`, adaptive);
    const viewing = countFramesWithFfmpeg({ url: helper.url, transport: 'tcp', seconds: 10 });
    await sleep(1000);
    const target = ['-f', 'mpegts', `udp://127.0.0.1:${port}?pkt_size=1316`];
    await tsSender('640x480', 4, target);
    await tsSender('320x240', 4, target);
    const viewer = await viewing;
    const { frames, longestGapS } = continuity(viewer.packets);
    assert.deepEqual([viewer.width, viewer.height], [640, 480]);
    assert.ok(frames >= 0.9 * 10 * FPS, `${frames} frames in 10 s: ${viewer.stderr}`);
    assert.ok(longestGapS < 0.5, `its stream went ${longestGapS.toFixed(2)} s without a frame`);
    const sizes = new Set(
      helper.records.records.flatMap((record) =>
        record.type === 'source_stats' && record.width !== undefined ? [`${record.width}x${record.height}`] : [],
      ),
    );
    assert.ok(sizes.has('640x480') && sizes.has('320x240'), `the source's own sizes: ${[...sizes].join(', ')}`);
    const rates = helper.records.records.flatMap((record) => (record.type === 'source_stats' ? [record.kbps] : []));
    assert.ok(Math.max(...rates) > 50, `the source's own bitrate, kbit/s: ${rates.join(' ')}`);
    await quitHelper(helper);
  });
});

describe('HLS', () => {
  it('is pulled from its playlist over HTTP and played', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hls-'));
    const sender = tsSender('640x480', 40, [
      ...['-f', 'hls', '-hls_time', '1', '-hls_list_size', '5', '-hls_flags', 'delete_segments'],
      join(dir, 'live.m3u8'),
    ]);
    const server = createHttpServer((request, response) => {
      try {
        response.end(readFileSync(join(dir, basename(request.url ?? '/'))));
      } catch {
        response.statusCode = 404;
        response.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(PORTS.at(36), '127.0.0.1', resolve));
    try {
      await sleep(3000);
      const helper = await helpers.startLive(`http://127.0.0.1:${PORTS.at(36)}/live.m3u8`, adaptive);
      const played = await countFramesWithFfmpeg({ url: helper.url, transport: 'tcp', seconds: 8 });
      assert.ok(played.frames >= 6 * FPS, `${played.frames} frames in 8 s: ${played.stderr}`);
      assert.ok(sourceStates(helper).includes('live'), JSON.stringify(sourceStates(helper)));
      await quitHelper(helper);
    } finally {
      server.close();
      sender.kill('SIGKILL');
      await sender;
    }
  });
});

describe('a camera with a password, through npm start', () => {
  const password = 'wh1sper:s3cret';
  const camera = new Camera({ port: PORTS.at(34), user: 'cam', password });
  after(() => camera.stop());

  it('plays, and its password is in no output: log, API, /metrics, metrics.ndjson, summary, report', async () => {
    await camera.start();
    const port = PORTS.at(50);
    const http = PORTS.at(55);
    const server = startServer(
      [
        ...['--videos', `gate=${camera.url}`, '--port', String(port), '--helper-ports', String(PORTS.at(51))],
        ...['--http', String(http), '--quiet', '--linger', '1', '--out', mkdtempSync(join(tmpdir(), 'live-'))],
      ],
      {},
    );
    await server.waitForOutput(/RTSP server ready/);
    const played = await countFramesWithFfmpeg({ url: `rtsp://127.0.0.1:${port}/gate`, transport: 'tcp', seconds: 3 });
    assert.ok(played.frames >= 2 * FPS, `${played.frames} frames: ${played.stderr}`);
    const api = await (await fetch(`http://127.0.0.1:${http}/api/v1/streams`)).text();
    const metrics = await (await fetch(`http://127.0.0.1:${http}/metrics`)).text();
    assert.match(api, /"uri":"rtsp:\/\/cam:\*\*\*@127\.0\.0\.1:\d+\/cam"/);
    assert.match(metrics, /abr_source_state\{stream="gate",state="live"\} 1/);
    server.process.kill('SIGINT');
    await server.process;
    const output = server.output();
    const runDir = /metrics in (\S+)/.exec(output)![1]!;
    const written = readdirSync(runDir)
      .filter((name) => /\.(ndjson|json|html)$/.test(name))
      .map((name) => readFileSync(join(runDir, name), 'utf8'));
    for (const [where, text] of [
      ['output', output],
      ['api', api],
      ['metrics', metrics],
      ...written.map((t, i) => [`file ${i}`, t]),
    ] as const) {
      for (const secret of ['s3cret', encodeURIComponent(password)])
        assert.ok(!text.includes(secret), `${where} holds the password`);
    }
    assert.match(output, /rtsp:\/\/cam:\*\*\*@127\.0\.0\.1/);
  });
});
