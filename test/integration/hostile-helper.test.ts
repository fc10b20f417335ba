// The real native/rtsp-helper, reached directly on its RTSP and RTP ports (no front door), against
// hostile or broken input and viewers: it answers with an error or closes, and keeps serving.
// run-tests: early (about 45 s)
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { HELPER_BINARY } from '../../src/helper/binary.ts';
import { makeClip } from '../support/clips.ts';
import { sampleProcess } from '../../src/metrics/process-stats.ts';
import { viewerLeft, type HelperEvent } from '../../src/helper/events.ts';
import { HelperLauncher, MOUNT, quitHelper, type Helper } from '../support/helper-launcher.ts';
import { countFramesWithFfmpeg, playWithGstreamer, readHelperRecords } from '../support/rtsp-clients.ts';
import { RawRtsp, rawOnce, sessionOf, type RawReply } from '../support/raw-rtsp.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { portsOf } from '../support/ports.ts';

const PORTS = portsOf(import.meta.url);
/** UDP client ports of sessions the helper refuses or sends to: nobody listens there. */
const CLIENT_PORTS = `${PORTS.at(98)}-${PORTS.at(99)}`;
/** gst-rtsp-server lets a session live this long past its timeout. */
const GST_SESSION_GRACE_S = 5;

const helpers = new HelperLauncher(PORTS.range(0, 60));
const startHelper = (file: string, extraArgs: string[] = []) => helpers.start(file, extraArgs);
const quit = quitHelper;

function rssKiB(pid: number): number {
  const { rssKiB } = sampleProcess(pid);
  assert.ok(rssKiB > 0, `VmRSS of ${pid}`);
  return rssKiB;
}

/** Sockets the process holds open (TCP and UDP alike). */
function socketCount(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).filter((fd) => {
    try {
      return /^socket:/.test(readlinkSync(`/proc/${pid}/fd/${fd}`));
    } catch {
      return false;
    }
  }).length;
}

function errorRecords(helper: Helper): unknown[] {
  return helper.records.records.filter((r) => r.type === 'error');
}

/** SETUP of stream 0 on a new session; the parsed Session id and Transport. */
async function setup(
  client: RawRtsp,
  url: string,
  transport: string,
  cseq: number,
): Promise<RawReply & { session?: string; transport?: string }> {
  const reply = await client.request([`SETUP ${url}/stream=0 RTSP/1.0`, `CSeq: ${cseq}`, `Transport: ${transport}`]);
  return {
    ...reply,
    session: sessionOf(reply.head),
    transport: /^Transport:\s*(.+)$/im.exec(reply.head)?.[1],
  };
}

function serverPorts(transport: string | undefined): [number, number] {
  const match = /server_port=(\d+)-(\d+)/.exec(transport ?? '');
  assert.ok(match, `server_port in ${transport}`);
  return [Number(match[1]), Number(match[2])];
}

/**
 * A request that is acceptable as `OPTIONS` except for the named defect. `tolerated`: the parser in
 * gst-rtsp-server (GstRTSPConnection) accepts it and the helper cannot tell it from a clean request
 * (values are C strings cut at NUL, leading blanks are skipped), so 200 is allowed; each still costs
 * one bounded message. OPTIONS cannot be refused (see native/viewer/request-checks.c): the helper closes the
 * connection instead of answering 400.
 */
function corpus(url: string): Array<{ name: string; data: string | Buffer; tolerated?: boolean }> {
  const ok = (extra: string[] = [], cseq = 'CSeq: 1', method = 'OPTIONS') =>
    `${[`${method} ${url} RTSP/1.0`, cseq, ...extra].join('\r\n')}\r\n\r\n`;
  return [
    {
      name: 'NUL bytes in the request line',
      data: Buffer.from(`OPT\0IONS ${url} RTSP/1.0\r\nCSeq: 1\r\n\r\n`, 'latin1'),
    },
    { name: 'NUL bytes in a header', data: Buffer.from(ok(['X-Junk: a\0b\0c']), 'latin1'), tolerated: true },
    { name: 'leading spaces', data: `   ${ok()}`, tolerated: true },
    { name: '5 KB method', data: `${'A'.repeat(5_000)} ${url} RTSP/1.0\r\nCSeq: 1\r\n\r\n` },
    { name: '5 KB URL', data: `OPTIONS ${url}/${'u'.repeat(5_000)} RTSP/1.0\r\nCSeq: 1\r\n\r\n` },
    { name: 'RTSP/9.9', data: `OPTIONS ${url} RTSP/9.9\r\nCSeq: 1\r\n\r\n` },
    { name: '300 headers', data: ok(Array.from({ length: 300 }, (_, i) => `X-Header-${i}: ${i}`)) },
    {
      name: '300 headers on DESCRIBE',
      data: ok(
        Array.from({ length: 300 }, (_, i) => `X-Header-${i}: ${i}`),
        'CSeq: 1',
        'DESCRIBE',
      ),
    },
    { name: '8 KB header line', data: ok([`X-Long: ${'h'.repeat(8_192)}`]) },
    { name: '8 KB header line on DESCRIBE', data: ok([`X-Long: ${'h'.repeat(8_192)}`], 'CSeq: 1', 'DESCRIBE') },
    { name: 'repeated CSeq', data: ok(['CSeq: 2'], 'CSeq: 1', 'DESCRIBE') },
    { name: 'missing CSeq', data: ok([], 'User-Agent: hostile', 'DESCRIBE') },
    { name: 'negative CSeq', data: ok([], 'CSeq: -1', 'DESCRIBE') },
    { name: 'non-numeric CSeq', data: ok([], 'CSeq: one', 'DESCRIBE') },
    { name: 'CSeq over 2^32', data: ok([], 'CSeq: 99999999999', 'DESCRIBE') },
    {
      name: 'bad CSeq on SETUP',
      data: ok([`Transport: RTP/AVP;unicast;client_port=${CLIENT_PORTS}`], 'CSeq: -1', `SETUP`).replace(
        url,
        `${url}/stream=0`,
      ),
    },
    { name: 'bad CSeq on PLAY', data: ok(['Session: 1234'], 'CSeq: x', 'PLAY') },
    { name: 'bad CSeq on TEARDOWN', data: ok(['Session: 1234'], 'CSeq: x', 'TEARDOWN') },
    { name: 'bad CSeq on GET_PARAMETER', data: ok([], 'CSeq: x', 'GET_PARAMETER') },
    // OPTIONS changes nothing: a bad CSeq there still gets its 200.
    { name: 'bad CSeq on OPTIONS', data: ok([], 'CSeq: one'), tolerated: true },
    { name: 'Content-Length 2^32', data: ok(['Content-Length: 4294967296']) },
    { name: 'Content-Length -1', data: ok(['Content-Length: -1']) },
    { name: 'Content-Length over the 4 KB limit', data: ok(['Content-Length: 100000']) },
    { name: 'Content-Length 2^63', data: ok(['Content-Length: 9223372036854775808']) },
    { name: 'Content-Length declared, never sent (closed at the request timeout)', data: ok(['Content-Length: 100']) },
  ];
}

describe('rtsp-helper against hostile input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hostile-helper-'));
  const ball = join(dir, 'ball.mp4');
  const snow = join(dir, 'snow.mp4');

  before(async () => {
    await execa('make', ['-s', '-C', 'native'], { cwd: new URL('../../', import.meta.url) });
    await Promise.all([
      makeClip({ path: ball, seconds: 3, pattern: 'ball', width: 640, height: 480, fps: 30 }),
      makeClip({ path: snow, seconds: 3, pattern: 'snow', width: 640, height: 480, fps: 30 }),
    ]);
  });

  after(() => {
    helpers.killAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rejects --session-timeout and --max-viewers out of range with a usage error', async () => {
    for (const args of [
      ['--session-timeout', '0'],
      ['--session-timeout', '3601'],
      ['--max-viewers', '0'],
      ['--max-viewers', 'x'],
    ]) {
      const child = execa(HELPER_BINARY, ['--file', ball, '--mount', MOUNT, '--port', '1', ...args], { reject: false });
      assert.ok(child.stdout);
      const records = readHelperRecords(child.stdout);
      const result = await child;
      assert.equal(result.exitCode, 2, `${args.join(' ')}: ${result.stdout}`);
      const error = await records.waitForRecord('error');
      assert.equal(error.code, 'usage');
      assert.match(error.message, new RegExp(args[0]!));
    }
  });

  it('answers a corpus of malformed requests with an error status or a close, and keeps serving', async () => {
    // Requests must be whole within 2 s; 1000 connections may be open (the burst below).
    const helper = await startHelper(ball, ['--idle-timeout', '2', '--max-connections', '1000']);
    const pid = helper.process.pid!;
    const rssBefore = rssKiB(pid);
    const outcomes: string[] = [];
    const wrong: string[] = [];
    const statuses: Array<number | undefined> = [];
    const replies = await Promise.all(corpus(helper.url).map(({ data }) => rawOnce(helper.port, data, 4_000)));
    for (const [i, { name, tolerated }] of corpus(helper.url).entries()) {
      const reply = replies[i]!;
      statuses.push(reply.status);
      const outcome = reply.status !== undefined ? String(reply.status) : reply.closed ? 'close' : 'silence';
      outcomes.push(`${name}: ${outcome}`);
      const refused =
        (reply.status !== undefined && reply.status >= 400) || reply.closed || (tolerated && reply.status === 200);
      if (!refused) wrong.push(`${name}: got ${outcome} ${reply.head.slice(0, 200)}`);
    }
    console.log(`corpus outcomes: ${outcomes.join('; ')}`);
    assert.deepEqual(wrong, []);
    const reasons = helper.records.records.flatMap((r) =>
      r.type === 'rejected' ? [`${r.reason}${r.status ? ` ${r.status}` : ''}`] : [],
    );
    console.log(`corpus rejected records: ${reasons.join(', ')}`);
    for (const reason of [
      'too_many_headers 400',
      'too_many_headers',
      'header_too_long 400',
      'header_too_long',
      'bad_cseq 400',
      'request_timeout',
    ]) {
      assert.ok(reasons.includes(reason), `a rejected record "${reason}" among ${reasons.join(', ')}`);
    }
    // Every answered case 20 times more, each on its own connection, all at once (300 connections):
    // each gets its answer again. gst-rtsp-server's listen backlog of 5 reset about a third of them
    // before the helper raised it.
    const answered = corpus(helper.url).filter((_, i) => statuses[i] !== undefined);
    const burst = Array.from({ length: 20 }, () => answered).flat();
    const burstReplies = await Promise.all(
      burst.map(({ data }) => rawOnce(helper.port, data, 5_000).catch(() => undefined)),
    );
    const unanswered = burstReplies.filter((reply) => reply?.status === undefined).length;
    assert.equal(unanswered, 0, `${unanswered} of ${burst.length} connections got no answer`);
    const rssAfter = rssKiB(pid);
    console.log(`corpus RSS ${rssBefore} -> ${rssAfter} KiB`);
    assert.ok(rssAfter - rssBefore < 20_000, `RSS grew from ${rssBefore} to ${rssAfter} KiB`);

    const played = await countFramesWithFfmpeg({ url: helper.url, transport: 'tcp', seconds: 2 });
    assert.equal(played.exitCode, 0, played.stderr);
    assert.ok(played.frames >= 50, `decoded ${played.frames} frames after the corpus`);
    assert.deepEqual(errorRecords(helper), []);
    await quit(helper);
  });

  it('refuses bad Transport, unknown mounts and unknown sessions', async () => {
    const helper = await startHelper(ball);
    const client = await RawRtsp.open(helper.port);
    let cseq = 1;
    const badTransports = [
      undefined,
      `RTP/SAVP/UDP;unicast;client_port=${CLIENT_PORTS}`,
      `FOO/BAR;unicast;client_port=${CLIENT_PORTS}`,
      'RTP/AVP;unicast;client_port=0-0',
      'RTP/AVP;unicast;client_port=0-1',
      'RTP/AVP/TCP;unicast;interleaved=255-256',
      'RTP/AVP/TCP;unicast;interleaved=300-301',
      'RTP/AVP/TCP;unicast;interleaved=-2--1',
    ];
    const outcomes: string[] = [];
    const wrong: string[] = [];
    for (const transport of badTransports) {
      const lines = [
        `SETUP ${helper.url}/stream=0 RTSP/1.0`,
        `CSeq: ${cseq++}`,
        ...(transport ? [`Transport: ${transport}`] : []),
      ];
      const reply = await client.request(lines);
      outcomes.push(`${transport ?? '(none)'}: ${reply.status ?? (reply.closed ? 'close' : 'silence')}`);
      if (!(reply.status !== undefined && reply.status >= 400)) wrong.push(`${transport}: ${reply.head}`);
    }
    console.log(`bad Transport outcomes: ${outcomes.join('; ')}`);
    assert.deepEqual(wrong, []);

    const unknownMount = await client.request([
      `DESCRIBE rtsp://127.0.0.1:${helper.port}/nope RTSP/1.0`,
      `CSeq: ${cseq++}`,
    ]);
    assert.equal(unknownMount.status, 404, unknownMount.head);
    const unknownMountSetup = await client.request([
      `SETUP rtsp://127.0.0.1:${helper.port}/nope/stream=0 RTSP/1.0`,
      `CSeq: ${cseq++}`,
      `Transport: RTP/AVP;unicast;client_port=${CLIENT_PORTS}`,
    ]);
    assert.equal(unknownMountSetup.status, 404, unknownMountSetup.head);
    for (const method of ['PLAY', 'PAUSE', 'TEARDOWN']) {
      const reply = await client.request([`${method} ${helper.url} RTSP/1.0`, `CSeq: ${cseq++}`, 'Session: 12345678']);
      assert.equal(reply.status, 454, `${method}: ${reply.head}`);
    }
    client.close();
    assert.deepEqual(errorRecords(helper), []);
    await quit(helper);
  });

  it('drops junk and oversized UDP packets sent to its RTP/RTCP ports while a viewer plays', async () => {
    const helper = await startHelper(ball);
    const viewer = playWithGstreamer({ url: helper.url, seconds: 10, transport: 'udp' });
    await helper.records.waitForRecord('client', { match: (r) => r.event === 'playing' });
    // A second session on the same media, only to read the server's ports.
    const prober = await RawRtsp.open(helper.port);
    const reply = await setup(prober, helper.url, `RTP/AVP;unicast;client_port=${PORTS.at(90)}-${PORTS.at(91)}`, 1);
    assert.equal(reply.status, 200, reply.head);
    const [rtpPort, rtcpPort] = serverPorts(reply.transport);

    const udp = createSocket('udp4');
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12_345) & 0x7fffffff) / 0x7fffffff;
    const sends: Promise<void>[] = [];
    for (let round = 0; round < 40; round++) {
      for (const port of [rtpPort, rtcpPort]) {
        const sizes = [0, 1, 4, 8, 12, 28, 1_500, 9_000, 65_507, Math.floor(random() * 1_400)];
        for (const size of sizes) {
          const packet = Buffer.alloc(size);
          for (let i = 0; i < size; i++) packet[i] = Math.floor(random() * 256);
          // Half of them look like RTP/RTCP (version 2) to get past the first check.
          if (size > 0 && round % 2 === 0) packet[0] = 0x80 | (packet[0]! & 0x3f);
          if (size > 1 && port === rtcpPort && round % 4 === 0) packet[1] = 200 + (round % 5);
          sends.push(new Promise((resolve) => udp.send(packet, port, '127.0.0.1', () => resolve())));
        }
      }
      await sleep(100);
    }
    await Promise.all(sends);
    udp.close();
    const played = await viewer;
    prober.close();
    assert.equal(played.exitCode, 0, played.stderr);
    console.log(`junk UDP to ${rtpPort}/${rtcpPort}: viewer decoded ${played.frames} frames in 10 s`);
    assert.ok(played.frames >= 240, `the viewer decoded ${played.frames} frames in 10 s at 30 fps`);
    assert.equal(helper.process.exitCode, null, 'the helper is still running');
    assert.deepEqual(errorRecords(helper), []);
    await quit(helper);
  });

  it('ends the session of a viewer killed without TEARDOWN as its connection closes, freeing its ports', async () => {
    const helper = await startHelper(ball);
    const pid = helper.process.pid!;
    const socketsBefore = socketCount(pid);
    const viewer = execa('gst-launch-1.0', ['rtspsrc', `location=${helper.url}`, 'protocols=udp', '!', 'fakesink'], {
      reject: false,
    });
    const playing = await helper.records.waitForRecord('client', { match: (r) => r.event === 'playing' });
    await sleep(1_000);
    const socketsPlaying = socketCount(pid);
    const from = helper.records.count();
    viewer.kill('SIGKILL');
    await viewer;
    const closed = await helper.records.waitForRecord('client', {
      from,
      match: (r) => r.event === 'closed' && r.clientId === playing.clientId,
    });
    assert.equal(closed.transport, 'udp');
    // gst-rtsp-server stops the media of a closed connection but keeps its session until it times
    // out, holding a --max-viewers slot; the helper removes it at once.
    const beat = await helper.records.waitForRecord('heartbeat', { from: helper.records.count() });
    assert.deepEqual([beat.connections, beat.sessions], [0, 0]);
    await helper.records.waitForRecord('media', { from, match: (r) => r.event === 'unprepared', timeoutMs: 5_000 });
    await sleep(500);
    const socketsAfter = socketCount(pid);
    console.log(`killed viewer: sockets ${socketsBefore} -> ${socketsPlaying} -> ${socketsAfter}`);
    assert.ok(socketsPlaying > socketsBefore, 'the viewer held sockets');
    assert.equal(socketsAfter, socketsBefore, 'its ports and connection are freed');
    await quit(helper);
  });

  it('reaps the session of a frozen viewer (no RTCP, connection open) within the session timeout + cleanup interval', async () => {
    const timeoutS = 3;
    const cleanupS = 1;
    const helper = await startHelper(ball, [
      '--session-timeout',
      String(timeoutS),
      '--cleanup-interval',
      String(cleanupS),
      '--idle-timeout',
      '2',
    ]);
    const pid = helper.process.pid!;
    const socketsBefore = socketCount(pid);
    const viewer = execa('gst-launch-1.0', ['rtspsrc', `location=${helper.url}`, 'protocols=udp', '!', 'fakesink'], {
      reject: false,
    });
    const playing = await helper.records.waitForRecord('client', { match: (r) => r.event === 'playing' });
    assert.equal(playing.transport, 'udp');
    await sleep(1_000);
    viewer.kill('SIGSTOP');
    const frozenAt = Date.now();
    try {
      const timedOut = await helper.records.waitForRecord('client', {
        match: (r) => r.event === 'timeout' && r.clientId === playing.clientId,
        timeoutMs: 15_000,
      });
      const reapedAfterS = (Date.now() - frozenAt) / 1000;
      assert.equal(timedOut.transport, 'udp');
      // gst-rtsp-server expires a session 5 s after its timeout (gst_rtsp_session_next_timeout_usec), counted
      // from the last request or RTCP: the viewer's last RTCP came at most a few seconds before it froze.
      assert.ok(reapedAfterS >= timeoutS, `reaped ${reapedAfterS.toFixed(1)} s after it froze, before its timeout`);
      assert.ok(
        reapedAfterS <= timeoutS + GST_SESSION_GRACE_S + cleanupS + 1,
        `reaped ${reapedAfterS.toFixed(1)} s after it froze`,
      );
      // Its connection, sessionless now, idles out.
      const idle = await helper.records.waitForRecord('rejected', {
        match: (r) => r.clientId === playing.clientId,
        timeoutMs: 5_000,
      });
      assert.equal(idle.reason, 'idle_timeout');
      await helper.records.waitForRecord('client', {
        match: (r) => r.event === 'closed' && r.clientId === playing.clientId,
      });
      await helper.records.waitForRecord('media', { match: (r) => r.event === 'unprepared', timeoutMs: 5_000 });
      await sleep(500);
      console.log(
        `frozen viewer reaped after ${reapedAfterS.toFixed(1)} s, its connection closed after ${((Date.now() - frozenAt) / 1000).toFixed(1)} s`,
      );
      assert.equal(socketCount(pid), socketsBefore, 'its ports and connection are freed');
    } finally {
      viewer.kill('SIGKILL');
      await viewer;
    }
    await quit(helper);
  });

  it('refuses the viewer over --max-viewers with 453 and records the refusal', async () => {
    const helper = await startHelper(ball, ['--max-viewers', '2']);
    const clients = await Promise.all([0, 1, 2].map(() => RawRtsp.open(helper.port)));
    const replies = [];
    for (const [i, client] of clients.entries()) {
      replies.push(
        await setup(
          client,
          helper.url,
          `RTP/AVP;unicast;client_port=${PORTS.at(60 + 2 * i)}-${PORTS.at(61 + 2 * i)}`,
          1,
        ),
      );
    }
    assert.deepEqual(
      replies.map((r) => r.status),
      [200, 200, 453],
    );
    const refused = await helper.records.waitForRecord('rejected', { match: (r) => r.reason === 'max_viewers' });
    // The refused viewer's connection is the third one; which client_id it got depends on accept order.
    const refusedPort = clients[2]!.socket.localPort;
    assert.equal(refused.port, refusedPort, JSON.stringify(refused));
    assert.equal(helper.records.records.filter((r) => r.type === 'rejected' && r.reason === 'max_viewers').length, 1);

    // A viewer that leaves makes room for the next one.
    const teardown = await clients[0]!.request([
      `TEARDOWN ${helper.url} RTSP/1.0`,
      'CSeq: 2',
      `Session: ${replies[0]!.session}`,
    ]);
    assert.equal(teardown.status, 200, teardown.head);
    const again = await setup(
      clients[2]!,
      helper.url,
      `RTP/AVP;unicast;client_port=${PORTS.at(70)}-${PORTS.at(71)}`,
      2,
    );
    assert.equal(again.status, 200, again.head);
    for (const client of clients) client.close();
    await quit(helper);
  });

  it('keeps another viewer at full frame rate while a TCP viewer stops reading', async () => {
    const helper = await startHelper(snow, ['--bitrate', String(20_000)]);
    const stalled = await RawRtsp.open(helper.port);
    const reply = await setup(stalled, helper.url, 'RTP/AVP/TCP;unicast;interleaved=0-1', 1);
    assert.equal(reply.status, 200, reply.head);
    const play = await stalled.request([`PLAY ${helper.url} RTSP/1.0`, 'CSeq: 2', `Session: ${reply.session}`]);
    assert.equal(play.status, 200, play.head);
    stalled.socket.pause();
    // Let the kernel buffers between us fill up (20 Mbit/s is ~2.5 MB/s).
    await sleep(4_000);
    const queue = helper.records.records.filter((r) => r.type === 'queue').at(-1);

    const from = helper.records.count();
    const startedAt = Date.now();
    // Frames received, not decoded: 20 Mbit/s of noise takes a core to decode, and the claim is
    // about what the server delivers, whatever else the machine is doing.
    const viewer = await countFramesWithFfmpeg({
      url: helper.url,
      transport: 'tcp',
      seconds: 10,
      timeoutS: 25,
      decode: false,
    });
    const wallS = (Date.now() - startedAt) / 1000;
    // The stalled reader set up the stream's control URL without a DESCRIBE: it shares the mount's
    // one encoder all the same. Sent: that encoder's frames while the viewer played, from the first
    // key frame it could start from.
    const records = helper.records.records;
    const played = records.filter((r) => r.type === 'client' && r.event === 'playing');
    const encoder = played[0]?.type === 'client' ? played[0].encoder : undefined;
    assert.ok(
      played.length === 2 && played.every((r) => r.type === 'client' && r.encoder === encoder),
      `one encoder for both: ${JSON.stringify(played)}`,
    );
    const viewerId = played[1]?.type === 'client' ? played[1].clientId : undefined;
    const playedAt = records.indexOf(played[1]!);
    const leftAt = records.findIndex(
      (r, i) => i > playedAt && r.type === 'client' && r.clientId === viewerId && viewerLeft(r.event),
    );
    const whilePlaying = records
      .slice(Math.max(from, playedAt), leftAt < 0 ? undefined : leftAt)
      .filter((r): r is Extract<HelperEvent, { type: 'frame' }> => r.type === 'frame' && r.encoder === encoder);
    const sent = whilePlaying.slice(
      Math.max(
        0,
        whilePlaying.findIndex((r) => r.key === true),
      ),
    );
    const skipped = helper.records.records.some((r) => r.type === 'client' && r.event === 'skipping');
    const spanS =
      sent.length > 1 && sent[0]?.type === 'frame' && sent.at(-1)?.type === 'frame'
        ? (sent.at(-1)!.outUs - sent[0].outUs) / 1e6
        : 0;
    console.log(
      `stalled TCP reader (unsent ${queue?.type === 'queue' ? queue.unsentBytes : '?'} B): other viewer received ${viewer.frames} frames, ` +
        `${wallS.toFixed(1)} s wall; helper sent ${sent.length} frames over ${spanS.toFixed(1)} s`,
    );
    assert.equal(viewer.exitCode, 0, viewer.stderr);
    assert.ok(skipped, 'the stalled reader was skipped (native/viewer/tcp-skip.c)');
    // Blocked by the stalled reader, the helper would send next to nothing; on a busy machine it may
    // encode a little below 30 fps, and the other viewer must get what it sends.
    assert.ok(
      sent.length >= 240,
      `the helper sent ${sent.length} frames in 10 s of stream beside a stalled TCP reader`,
    );
    assert.ok(
      viewer.frames >= 0.95 * sent.length,
      `the other viewer received ${viewer.frames} of the ${sent.length} frames sent`,
    );
    assert.ok(wallS <= 10 / 0.9 + 3, `10 s of stream took ${wallS.toFixed(1)} s to arrive`);
    stalled.close();
    await quit(helper);
  });
});
