// The real native/rtsp-helper against docs/protocol.md, with real RTSP clients.
// Assumes GStreamer, ffmpeg and a C toolchain (the bootstrap step checks them). What a client
// decoded is judged against what the helper's own records say it sent (test/support/sent-frames.ts),
// not against the wall clock: the file runs beside other test files on a loaded machine.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { HELPER_BINARY } from '../../src/helper/binary.ts';
import { PROTOCOL_VERSION } from '../../src/helper/protocol.ts';
import { makeClip } from '../support/clips.ts';
import { HelperLauncher, MOUNT, quitHelper, type Helper } from '../support/helper-launcher.ts';
import { requestOnce } from '../support/raw-rtsp.ts';
import { countFramesWithFfmpeg, playWithGstreamer, readHelperRecords } from '../support/rtsp-clients.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { portsOf } from '../support/ports.ts';
import {
  assertDelivered,
  assertPlayedStretch,
  assertPlayedUntilLeft,
  delivery,
  describeDelivery,
  foreignTimestamps,
  sentToClient,
} from '../support/sent-frames.ts';

const PORTS = portsOf(import.meta.url);

/**
 * Sends `bitrate N` and waits for its acknowledgement. `atUs` is the send time of the last frame
 * recorded before the command: frame records come in 250-ms batches, so it is at most that early,
 * and windows measured from it end no later than they say.
 */
async function changeBitrate(helper: Helper, kbps: number): Promise<{ atUs: number }> {
  const from = helper.records.count();
  helper.send(`bitrate ${kbps}`);
  const ack = await helper.records.waitForRecord('bitrate', { from });
  assert.deepEqual(
    { ...ack, mount: undefined, encoder: undefined },
    { type: 'bitrate', bitrateKbps: kbps, requestedKbps: kbps, mount: undefined, encoder: undefined },
  );
  const lastFrame = helper.records.records
    .slice(0, from)
    .reverse()
    .find((r) => r.type === 'frame');
  assert.ok(lastFrame?.type === 'frame', 'frames were being sent');
  return { atUs: lastFrame.outUs };
}
const helpers = new HelperLauncher(PORTS.range(0, PORTS.size));
const startHelper = (file: string, extraArgs: string[] = [], waitReady = true) =>
  helpers.start(file, extraArgs, { waitReady });

/** Sends `quit` and checks the helper's last words. */
async function quit(helper: Helper): Promise<void> {
  await quitHelper(helper);
  assertEndsWithBye(helper, 'quit', 0);
}

/** Every stdout line is a record, `hello` (this protocol's version) first, this `bye` last. */
function assertEndsWithBye(helper: Helper, reason: string, exitCode: number): void {
  const { records, malformed } = helper.records;
  assert.deepEqual(malformed, []);
  const [hello] = records;
  assert.ok(
    hello?.type === 'hello' && hello.protocol === PROTOCOL_VERSION && hello.pid === helper.process.pid,
    JSON.stringify(hello),
  );
  assert.deepEqual(records.at(-1), { type: 'bye', reason, exitCode });
}

describe('rtsp-helper', () => {
  const dir = mkdtempSync(join(tmpdir(), 'helper-test-'));
  const ball = join(dir, 'ball.mp4');
  const snow = join(dir, 'snow.mp4');
  const wideWithAudio = join(dir, 'wide audio.mp4');
  const notVideo = join(dir, 'notes.mp4');

  before(async () => {
    await execa('make', ['-s', '-C', 'native'], { cwd: new URL('../../', import.meta.url) });
    await Promise.all([
      makeClip({ path: ball, seconds: 3, pattern: 'ball', width: 640, height: 480, fps: 30 }),
      makeClip({ path: snow, seconds: 3, pattern: 'snow', width: 640, height: 480, fps: 30 }),
      makeClip({ path: wideWithAudio, seconds: 2, pattern: 'smpte', width: 1280, height: 720, fps: 25, audio: true }),
    ]);
    writeFileSync(notVideo, 'not a video\n');
  });

  after(() => {
    helpers.killAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rejects a bad command line with a usage error and exit code 2', async () => {
    for (const args of [
      ['--mount', MOUNT, '--port', '1'],
      ['--file', ball, '--mount', 'video1', '--port', '1'],
      ['--file', ball, '--mount', MOUNT, '--port', 'x'],
    ]) {
      const child = execa(HELPER_BINARY, args, { reject: false });
      assert.ok(child.stdout);
      const records = readHelperRecords(child.stdout);
      const result = await child;
      assert.equal(result.exitCode, 2, `${args.join(' ')}: ${result.stdout}`);
      assert.equal((await records.waitForRecord('error')).code, 'usage');
      assert.deepEqual(records.records.at(-1), { type: 'bye', reason: 'error', exitCode: 2 });
    }
  });

  it('rejects an unknown --encoder-preset with a usage error naming it and the presets it takes', async () => {
    const child = execa(HELPER_BINARY, ['--file', ball, '--mount', MOUNT, '--port', '1', '--encoder-preset', 'slow'], {
      reject: false,
    });
    assert.ok(child.stdout);
    const records = readHelperRecords(child.stdout);
    assert.equal((await child).exitCode, 2);
    assert.deepEqual(await records.waitForRecord('error'), {
      type: 'error',
      code: 'usage',
      message: "--encoder-preset must be ultrafast, superfast or veryfast, not 'slow'",
    });
  });

  it('serves two viewers, UDP and TCP, from one shared media: 640x480 H.264 frames', async () => {
    const helper = await startHelper(ball);
    const [udp, tcp] = await Promise.all([
      countFramesWithFfmpeg({ url: helper.url, transport: 'udp', seconds: 2 }),
      countFramesWithFfmpeg({ url: helper.url, transport: 'tcp', seconds: 2 }),
    ]);
    for (const [transport, result] of [
      ['udp', udp],
      ['tcp', tcp],
    ] as const) {
      assert.equal(result.exitCode, 0, result.stderr);
      assert.deepEqual([result.codec, result.width, result.height], ['h264', 640, 480]);
      const playing = helper.records.records.find(
        (r) => r.type === 'client' && r.event === 'playing' && r.transport === transport,
      );
      assert.ok(playing?.type === 'client', `a ${transport} viewer played`);
      // 2 s of stream from its first packet; the second viewer may join after the first key frame.
      assertPlayedStretch(
        delivery(sentToClient(helper.records.records, playing.clientId), result),
        `the ${transport} viewer`,
        2,
      );
    }
    const prepared = helper.records.records.filter((r) => r.type === 'media' && r.event === 'prepared');
    assert.deepEqual(prepared, [
      { type: 'media', event: 'prepared', mount: MOUNT, encoder: 1, width: 640, height: 480, fps: 30 },
    ]);
    const connected = helper.records.records.filter((r) => r.type === 'client' && r.event === 'connected');
    assert.equal(connected.length, 2);
    await quit(helper);
    const closed = helper.records.records.filter((r) => r.type === 'client' && r.event === 'closed');
    assert.equal(closed.length, 2, 'every viewer is closed before bye');
  });

  it('answers a DESCRIBE that comes right as the last viewer leaves with 200, never 503', async () => {
    // gst-rtsp-server 1.22 hands out the shared media while it is being unprepared: half of
    // these got "503 Service Unavailable" ("can not reuse media") before the helper waited for it to go.
    const helper = await startHelper(ball);
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const reply = await requestOnce(helper.port, [`DESCRIBE ${helper.url} RTSP/1.0`, 'CSeq: 1']);
      statuses.push(reply.status ?? 0);
    }
    assert.deepEqual(statuses, Array(10).fill(200));
    // A new media after an earlier one went: the race was run (on a loaded machine a close can come
    // after the next DESCRIBE, which then reuses the media: a clean-clone run saw fewer than 5 of 10).
    const prepared = helper.records.records.filter((r) => r.type === 'media' && r.event === 'prepared').length;
    assert.ok(prepared >= 2, `${prepared} medias prepared for 10 DESCRIBEs`);
    // And no media is left behind once the last viewer went.
    const lastPrepared = helper.records.records
      .map((r) => r.type === 'media' && r.event === 'prepared')
      .lastIndexOf(true);
    await helper.records.waitForRecord('media', {
      match: (r) => r.event === 'unprepared',
      from: lastPrepared + 1,
      timeoutMs: 5_000,
    });
    await quit(helper);
  });

  it('loops a 3-second clip for 8 s with continuous timestamps and no client error', async () => {
    const helper = await startHelper(ball);
    const result = await countFramesWithFfmpeg({ url: helper.url, transport: 'udp', seconds: 8 });
    assert.equal(result.exitCode, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /error/i);
    await quit(helper);
    const records = helper.records.records;
    const got = delivery(sentToClient(records, 1), result);
    assertDelivered(got, 'the viewer');
    // A media made for it starts with a key frame: 8 s of stream from it.
    assert.ok(got.spanS >= 7.5, describeDelivery('the viewer', got));

    // The server's side of a loop point: the file's last frame, then its first, as the clock goes on.
    // Each frame carries its file position and its timestamp (the media's running time at release):
    // a loop that lost or doubled a frame, or reset the timestamps, shows here, whatever the
    // machine's load (a starved helper drops frames at its queue and releases others late, which
    // moves timestamps, never file positions at a loop point).
    const frames = records.flatMap((r) =>
      r.type === 'frame' && r.fileUs !== undefined && r.ptsUs !== undefined
        ? [{ fileUs: r.fileUs, ptsUs: r.ptsUs }]
        : [],
    );
    const lastPositionUs = Math.max(...frames.map((frame) => frame.fileUs));
    const wraps = frames.flatMap((frame, i) => (i > 0 && frame.fileUs < frames[i - 1]!.fileUs ? [i] : []));
    // 8 s of stream cross two loop points of a 3-s clip: the file position follows the server's clock.
    assert.ok(wraps.length >= 2, `${wraps.length} loop points in the frames sent`);
    assert.ok(records.filter((r) => r.type === 'loop').length >= wraps.length, 'a loop record per loop point');
    for (const i of wraps) {
      const [before, after] = [frames[i - 1]!, frames[i]!];
      assert.deepEqual(
        [before.fileUs, after.fileUs],
        [lastPositionUs, 0],
        `at a loop point the file's last frame, then its first: ${JSON.stringify(frames.slice(i - 2, i + 2))}`,
      );
      assert.ok(after.ptsUs > before.ptsUs, `timestamps go on across a loop point: ${JSON.stringify([before, after])}`);
    }
    // The client's side: every timestamp it decoded is one the server sent, in the server's order:
    // never back, never a frame twice, never a jump across the loop points the server did not make.
    const foreign = foreignTimestamps(sentToClient(records, 1), result.framePtsS, 0.6 / 30);
    assert.deepEqual(foreign, [], `decoded timestamps the server never sent (s from the first packet)`);
  });

  it('plays with GStreamer rtspsrc, scales a 1280x720 clip to 640x480 and ignores its audio', async () => {
    const helper = await startHelper(wideWithAudio);
    const result = await playWithGstreamer({ url: helper.url, seconds: 4 });
    assert.equal(result.exitCode, 0, result.stderr);
    // However late it started on a loaded machine, it got what was sent until it stopped.
    assertPlayedUntilLeft(delivery(sentToClient(helper.records.records, 1), result), 'the viewer');
    const media = await helper.records.waitForRecord('media');
    assert.deepEqual(media, {
      type: 'media',
      event: 'prepared',
      mount: MOUNT,
      encoder: 1,
      width: 640,
      height: 480,
      fps: 25,
    });
    await quit(helper);
  });

  it('serves a fixed and an adaptive mount from one decode; gives each adaptive viewer an encoder of its own up to --encoders, then the one at the lowest bitrate; a viewer leaving frees its encoder', async () => {
    const helper = await startHelper(ball, [
      '--adaptive-mount',
      '/video2',
      '--adaptive-bitrate',
      '800',
      '--encoders',
      '2',
    ]);
    const adaptiveUrl = helper.url.replace(MOUNT, '/video2');
    const playingOn = async (clientId: number) => {
      const record = await helper.records.waitForRecord('client', {
        match: (r) => r.event === 'playing' && r.clientId === clientId,
        timeoutMs: 10_000,
      });
      return [record.mount, record.encoder];
    };
    // The 3-s clip loops twice while the fixed mount plays.
    const fixed = playWithGstreamer({ url: helper.url, seconds: 8 });
    assert.deepEqual(await playingOn(1), [MOUNT, 1]);
    const first = playWithGstreamer({ url: adaptiveUrl, seconds: 7 });
    assert.deepEqual(await playingOn(2), ['/video2', 2]);
    helper.send('bitrate 400 2');
    const second = playWithGstreamer({ url: adaptiveUrl, seconds: 2 });
    assert.deepEqual(await playingOn(3), ['/video2', 3], 'a second viewer, a second encoder');
    const third = playWithGstreamer({ url: adaptiveUrl, seconds: 2 });
    assert.deepEqual(
      await playingOn(4),
      ['/video2', 2],
      'past --encoders: the encoder at 400 kbit/s, not the one at 800',
    );
    assert.equal((await second).exitCode, 0);
    assert.equal((await third).exitCode, 0);
    const gone = await helper.records.waitForRecord('media', {
      match: (r) => r.event === 'unprepared',
      timeoutMs: 5_000,
    });
    assert.deepEqual([gone.mount, gone.encoder], ['/video2', 3], 'the second viewer left: its encoder went with it');
    const goneAt = helper.records.count();
    await helper.records.waitForRecord('frame', { from: goneAt, match: (r) => r.encoder === 2 });
    for (const played of await Promise.all([fixed, first])) assert.equal(played.exitCode, 0, played.stderr);
    await quit(helper);

    const records = helper.records.records;
    const loops = records.flatMap((r) => (r.type === 'loop' ? [r.count] : []));
    assert.ok(
      loops.length >= 2 && loops.every((count, i) => count === i + 1),
      `one decode loops once per clip length: ${loops.join(' ')}`,
    );
    // The fixed mount's viewer and the first adaptive one got what their encoders sent them.
    for (const [clientId, played, what] of [
      [1, await fixed, 'the fixed mount'],
      [2, await first, 'the adaptive mount'],
    ] as const) {
      assertPlayedUntilLeft(delivery(sentToClient(records, clientId), played), `the viewer of ${what}`);
    }
    const twccMounts = new Set(records.flatMap((r) => (r.type === 'twcc' ? [r.mount] : [])));
    assert.deepEqual([...twccMounts], ['/video2'], 'only the adaptive mount asks for TWCC');
    const set = records.filter((r) => r.type === 'bitrate' && r.requestedKbps !== undefined);
    assert.deepEqual(
      set,
      [{ type: 'bitrate', mount: '/video2', encoder: 2, bitrateKbps: 400, requestedKbps: 400 }],
      'one encoder set, the others left alone',
    );
  });

  it('viewers arriving together past --encoders share the encoder still being made, not one each', async () => {
    const helper = await startHelper(ball, ['--adaptive-mount', '/video2', '--encoders', '1']);
    const adaptiveUrl = helper.url.replace(MOUNT, '/video2');
    const viewers = [1, 2, 3].map(() => playWithGstreamer({ url: adaptiveUrl, seconds: 2 }));
    for (const played of await Promise.all(viewers)) assert.equal(played.exitCode, 0, played.stderr);
    await quit(helper);
    const records = helper.records.records;
    const encoders = records.flatMap((r) => (r.type === 'client' && r.event === 'playing' ? [r.encoder] : []));
    const prepared = records.filter((r) => r.type === 'media' && r.event === 'prepared');
    assert.equal(encoders.length, 3, 'three viewers played');
    assert.deepEqual(new Set(encoders).size, 1, `encoders of the viewers: ${encoders.join(' ')}`);
    assert.equal(prepared.length, 1, `medias prepared: ${prepared.length}`);
  });

  it('applies `bitrate N` to the running encoder within 2 s, and keeps it for the next media', async () => {
    const helper = await startHelper(snow, ['--bitrate', '4000']);
    helper.send('bitrate 3000');
    assert.deepEqual(
      await helper.records.waitForRecord('bitrate'),
      { type: 'bitrate', mount: MOUNT, bitrateKbps: 3000, requestedKbps: 3000 },
      'no encoder runs: stored for the next',
    );

    const viewer = countFramesWithFfmpeg({ url: helper.url, transport: 'tcp', seconds: 9 });
    const start = await helper.records.waitForRecord('bitrate', { match: (r) => r.requestedKbps === undefined });
    assert.equal(start.bitrateKbps, 3000, 'the media starts at the stored bitrate');
    await sleep(3_000);
    const down = await changeBitrate(helper, 1200);
    await sleep(2_500);
    const up = await changeBitrate(helper, 2400);
    assert.equal((await viewer).exitCode, 0);

    // The stream's own bytes (encoded frame sizes as they leave the payloader), per second of
    // stream: bits per frame at the file's 30 fps, the rate x264 is set to. Not per second of the
    // wall clock: a loaded machine may drop frames at the helper's queue, which leaves fewer frames
    // in a second, not smaller ones.
    const frames = helper.records.records.flatMap((r) =>
      r.type === 'frame' && r.bytes !== undefined ? [{ outUs: r.outUs, bytes: r.bytes }] : [],
    );
    const kbpsBetween = (fromUs: number, toUs: number) => {
      const within = frames.filter((f) => f.outUs >= fromUs && f.outUs < toUs);
      return (within.reduce((sum, f) => sum + f.bytes, 0) * 8) / 1000 / (within.length / 30);
    };
    const withinQuarter = (kbps: number, target: number) => Math.abs(kbps - target) <= target * 0.25;
    const before = kbpsBetween(down.atUs - 1_000_000, down.atUs);
    const afterDown = kbpsBetween(down.atUs + 1_000_000, down.atUs + 2_000_000);
    const afterUp = kbpsBetween(up.atUs + 1_000_000, up.atUs + 2_000_000);
    assert.ok(withinQuarter(before, 3000), `${before.toFixed(0)} kbit/s sent at 3000`);
    assert.ok(withinQuarter(afterDown, 1200), `${afterDown.toFixed(0)} kbit/s sent 1..2 s after bitrate 1200`);
    assert.ok(withinQuarter(afterUp, 2400), `${afterUp.toFixed(0)} kbit/s sent 1..2 s after bitrate 2400`);
    await quit(helper);
  });

  it('answers bad commands and values with an error record and keeps running', async () => {
    const helper = await startHelper(ball);
    for (const line of ['bitrate 0', 'bitrate fast', 'volume 3', 'quit now']) helper.send(line);
    await quit(helper);
    const errors = helper.records.records.flatMap((r) => (r.type === 'error' ? [[r.code, r.command]] : []));
    assert.deepEqual(errors, [
      ['bad_value', 'bitrate 0'],
      ['bad_value', 'bitrate fast'],
      ['bad_command', 'volume 3'],
      ['bad_command', 'quit now'],
    ]);
  });

  it('exits 3 with listen_failed when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(helpers.nextPort, '127.0.0.1', resolve));
    try {
      const helper = await startHelper(ball, [], false);
      const result = await helper.process;
      assert.equal(result.exitCode, 3);
      const error = await helper.records.waitForRecord('error');
      assert.equal(error.code, 'listen_failed');
      assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${helper.port}.*Address already in use`));
      assert.ok(!helper.records.records.some((r) => r.type === 'ready'), 'never ready');
      assertEndsWithBye(helper, 'error', 3);
    } finally {
      blocker.close();
    }
  });

  it('stops cleanly with exit code 0 on EOF on stdin', async () => {
    const helper = await startHelper(ball);
    helper.process.stdin?.end();
    const result = await helper.process;
    assert.equal(result.exitCode, 0, result.stderr);
    assertEndsWithBye(helper, 'eof', 0);
  });

  it('stops cleanly with exit code 0 on SIGTERM, closing its viewer first', async () => {
    const helper = await startHelper(ball);
    const viewer = countFramesWithFfmpeg({ url: helper.url, transport: 'tcp', seconds: 10 });
    await helper.records.waitForRecord('media');
    await sleep(1_000);
    helper.process.kill('SIGTERM');
    const result = await helper.process;
    assert.equal(result.exitCode, 0, result.stderr);
    assertEndsWithBye(helper, 'signal', 0);
    const events = helper.records.records.flatMap((r) =>
      r.type === 'media' || r.type === 'client' ? [`${r.type} ${r.event}`] : [],
    );
    assert.deepEqual([...events].sort(), [
      'client closed',
      'client connected',
      'client playing',
      'media prepared',
      'media unprepared',
    ]);
    const played = await viewer;
    assert.equal(played.exitCode, 0, `the viewer sees the end of the stream, not an error: ${played.stderr}`);
    assertDelivered(delivery(sentToClient(helper.records.records, 1), played), 'the viewer');
  });

  it('reports an undecodable file as a decode error per viewer and keeps serving', async () => {
    const helper = await startHelper(notVideo);
    for (let attempt = 1; attempt <= 2; attempt++) {
      const from = helper.records.count();
      const result = await countFramesWithFfmpeg({ url: helper.url, transport: 'tcp', frames: 1, timeoutS: 10 });
      assert.notEqual(result.exitCode, 0);
      assert.equal(result.frames, 0);
      assert.match(result.stderr, /503 Service Unavailable/);
      const error = await helper.records.waitForRecord('error', { from });
      assert.equal(error.code, 'decode');
      assert.ok(error.message.startsWith(`${notVideo}: `), error.message);
    }
    await quit(helper);
  });
});
