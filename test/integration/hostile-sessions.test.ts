// What a client with a session may try at a helper, reached directly on its port: change a playing
// stream's transport (which aborted gst-rtsp-server 1.22), mix mounts in a session, send an endless
// request head between its interleaved packets, take every session of a mount, flood RTCP from
// anywhere, guess passwords. Each gets an error or a close, and the viewers beside it play on.
// run-tests: early (about 60 s)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { newAuthKey, newNonce } from '../../src/front-door/digest.ts';
import type { HelperEvent } from '../../src/helper/events.ts';
import { makeClip } from '../support/clips.ts';
import { digestHeader } from '../support/digest-header.ts';
import { HelperLauncher, MOUNT, quitHelper, type Helper } from '../support/helper-launcher.ts';
import { RawRtsp, sessionOf } from '../support/raw-rtsp.ts';
import { countFramesWithFfmpeg, playWithGstreamer } from '../support/rtsp-clients.ts';
import { receiverReport, ScriptedViewer } from '../support/scripted-viewer.ts';
import { portsOf } from '../support/ports.ts';

const PORTS = portsOf(import.meta.url);
const helpers = new HelperLauncher(PORTS.range(0, 40));
const ADAPTIVE = '/video2';
const TCP = 'RTP/AVP/TCP;unicast;interleaved=0-1';
const UDP = `RTP/AVP;unicast;client_port=${PORTS.at(40)}-${PORTS.at(41)}`;

type Rejected = Extract<HelperEvent, { type: 'rejected' }>;

function rejections(helper: Helper, from = 0): Rejected[] {
  return helper.records.records.slice(from).filter((record): record is Rejected => record.type === 'rejected');
}

function alive(helper: Helper): boolean {
  return helper.process.exitCode === null && helper.process.signalCode === null;
}

/** One connection's requests in order, with its CSeq and the session it was given. */
class Conversation {
  readonly client: RawRtsp;
  session: string | undefined;
  #cseq = 1;

  private constructor(client: RawRtsp) {
    this.client = client;
  }

  static async open(port: number, localAddress?: string): Promise<Conversation> {
    return new Conversation(await RawRtsp.open(port, localAddress));
  }

  async send(method: string, url: string, headers: string[] = []): Promise<number | undefined> {
    const session = this.session === undefined ? [] : [`Session: ${this.session}`];
    const reply = await this.client.request([
      `${method} ${url} RTSP/1.0`,
      `CSeq: ${this.#cseq++}`,
      ...session,
      ...headers,
    ]);
    this.session ??= sessionOf(reply.head);
    return reply.status;
  }

  setup(url: string, transport: string): Promise<number | undefined> {
    return this.send('SETUP', `${url}/stream=0`, [`Transport: ${transport}`]);
  }

  close(): void {
    this.client.close();
  }
}

describe('rtsp-helper against clients with a session', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hostile-sessions-'));
  const clip = join(dir, 'ball.mp4');

  before(() => makeClip({ path: clip, seconds: 3, pattern: 'ball', width: 640, height: 480, fps: 30 }));
  after(() => {
    helpers.killAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a transport change under a session, a SETUP of a playing stream, other mounts in it, bad channels; a same-transport SETUP before PLAY works; viewers play on', async () => {
    const helper = await helpers.start(clip, ['--adaptive-mount', ADAPTIVE, '--adaptive']);
    const adaptive = helper.url.replace(MOUNT, ADAPTIVE);
    const seconds = 10;
    const viewers = [
      countFramesWithFfmpeg({ url: helper.url, transport: 'tcp', seconds }),
      playWithGstreamer({ url: adaptive, transport: 'udp', seconds }),
    ];
    await sleep(1_500);
    const from = helper.records.count();

    /** A session set up with `first` (and played, unless `play` is false), then SETUP again with `second`. */
    const sequence = async (
      first: string,
      second: string,
      { play = true, secondUrl = helper.url }: { play?: boolean; secondUrl?: string } = {},
    ): Promise<number | undefined> => {
      const url = helper.url;
      const client = await Conversation.open(helper.port);
      assert.equal(await client.send('DESCRIBE', url), 200);
      assert.equal(await client.setup(url, first), 200);
      if (play) assert.equal(await client.send('PLAY', url), 200);
      const status = await client.setup(secondUrl, second);
      await sleep(300);
      client.close();
      return status;
    };
    const answers = {
      tcpThenUdp: await sequence(TCP, UDP),
      udpThenTcp: await sequence(UDP, TCP),
      otherChannels: await sequence(TCP, 'RTP/AVP/TCP;unicast;interleaved=2-3'),
      otherPorts: await sequence(UDP, `RTP/AVP;unicast;client_port=${PORTS.at(42)}-${PORTS.at(43)}`),
      tcpThenUdpUnplayed: await sequence(TCP, UDP, { play: false }),
      otherMount: await sequence(TCP, 'RTP/AVP/TCP;unicast;interleaved=2-3', { secondUrl: adaptive }),
    };
    assert.deepEqual(answers, {
      tcpThenUdp: 455,
      udpThenTcp: 455,
      otherChannels: 455,
      otherPorts: 455,
      tcpThenUdpUnplayed: 455,
      otherMount: 459,
    });

    // The sequence again, its second SETUP on another connection: the session is not that one's.
    const owner = await Conversation.open(helper.port);
    assert.equal(await owner.setup(helper.url, TCP), 200);
    assert.equal(await owner.send('PLAY', helper.url), 200);
    const intruder = await Conversation.open(helper.port);
    intruder.session = owner.session;
    assert.equal(await intruder.setup(helper.url, UDP), 454);
    intruder.close();

    // Channels that are no pair n-(n+1) of 0..255.
    for (const channels of ['7-7', '1-0', '255-256']) {
      const client = await Conversation.open(helper.port);
      assert.equal(await client.setup(helper.url, `RTP/AVP/TCP;unicast;interleaved=${channels}`), 461, channels);
      client.close();
    }

    // The owner's SETUP with its own transport again: refused while it plays (gst-rtsp-server
    // would free the transport its send thread reads), and its stream goes on.
    assert.equal(await owner.setup(helper.url, TCP), 455);
    const framesBefore = owner.client.interleavedFrames;
    await sleep(1_000);
    assert.ok(
      owner.client.interleavedFrames > framesBefore + 20,
      `${owner.client.interleavedFrames - framesBefore} packets in 1 s after the refused SETUP`,
    );
    owner.close();
    // Before PLAY, the same transport again is taken, and the stream then plays.
    const again = await Conversation.open(helper.port);
    assert.equal(await again.setup(helper.url, UDP), 200);
    assert.equal(await again.setup(helper.url, UDP), 200);
    assert.equal(await again.send('PLAY', helper.url), 200);
    again.close();

    const [tcpViewer, udpViewer] = await Promise.all(viewers);
    assert.ok(alive(helper), `the helper died: ${helper.process.signalCode ?? helper.process.exitCode}`);
    assert.ok(
      tcpViewer!.frames >= seconds * 30 * 0.9,
      `the TCP viewer decoded ${tcpViewer!.frames} frames in ${seconds} s`,
    );
    assert.ok(udpViewer!.frames >= (seconds - 1) * 30 * 0.9, `the UDP viewer decoded ${udpViewer!.frames} frames`);
    const reasons = rejections(helper, from).map(({ reason, status }) => `${reason} ${status}`);
    for (const expected of [
      'transport_changed 455',
      'setup_while_playing 455',
      'aggregate_not_allowed 459',
      'foreign_session 454',
      'bad_interleaved 461',
    ]) {
      assert.ok(reasons.includes(expected), `${expected} in ${reasons.join(', ')}`);
    }
    await quitHelper(helper);
  });

  it("bounds a request head sent between a TCP viewer's packets, by bytes and by time; viewers whose RTCP shares the connection play on", async () => {
    const helper = await helpers.start(clip, ['--adaptive-mount', ADAPTIVE, '--adaptive', '--idle-timeout', '2']);
    const adaptive = helper.url.replace(MOUNT, ADAPTIVE);
    const seconds = 12;
    // rtspsrc sends a receiver report every 100 ms and TWCC per frame on an adaptive mount: over TCP,
    // all of it shares the connection with its requests.
    const viewers = [
      playWithGstreamer({ url: adaptive, transport: 'tcp', seconds }),
      countFramesWithFfmpeg({ url: helper.url, transport: 'tcp', seconds }),
    ];
    await sleep(1_000);

    const playing = async (): Promise<Conversation> => {
      const client = await Conversation.open(helper.port);
      assert.equal(await client.setup(helper.url, TCP), 200);
      assert.equal(await client.send('PLAY', helper.url), 200);
      return client;
    };
    const endless = await playing();
    endless.client.write(`GET_PARAMETER ${helper.url} RTSP/1.0\r\nCSeq: 99\r\nSession: ${endless.session}\r\n`);
    let lines = 0;
    const started = Date.now();
    while (!endless.client.socket.destroyed && !(await endless.client.next(1)).closed && Date.now() - started < 8_000) {
      endless.client.write('a: b\r\n'.repeat(200));
      lines += 200;
      await sleep(20);
    }
    const closedAfterBytes = (await endless.client.next(1)).closed;
    const slow = await playing();
    slow.client.write(`GET_PARAMETER ${helper.url} RTSP/1.0\r\nCSeq: 99\r\nSession: ${slow.session}\r\nX-Slow: 1\r\n`);
    const slowReply = await slow.client.next(6_000);

    const [rtspsrc, ffmpeg] = await Promise.all(viewers);
    assert.ok(closedAfterBytes, `a head of ${lines} lines (${lines * 6} bytes) was not cut off`);
    assert.ok(lines * 6 < 64 * 1024, `${lines} header lines (${lines * 6} bytes) were taken before the close`);
    assert.ok(slowReply.closed, 'an unfinished head inside a session is closed after the request timeout');
    const reasons = rejections(helper)
      .filter((r) => r.status === undefined)
      .map((r) => r.reason);
    assert.ok(reasons.includes('request_too_large') && reasons.includes('request_timeout'), reasons.join(', '));
    assert.ok(
      rtspsrc!.frames >= (seconds - 2) * 30 * 0.9,
      `rtspsrc over TCP decoded ${rtspsrc!.frames} frames: it must not be taken for an endless request`,
    );
    assert.ok(ffmpeg!.frames >= seconds * 30 * 0.9, `FFmpeg over TCP decoded ${ffmpeg!.frames} frames`);
    await quitHelper(helper);
  });

  it('--max-viewers counts per mount, and --max-viewers-per-address per client address', async () => {
    const helper = await helpers.start(clip, [
      '--adaptive-mount',
      ADAPTIVE,
      '--max-viewers',
      '3',
      '--max-viewers-per-address',
      '4',
    ]);
    const adaptive = helper.url.replace(MOUNT, ADAPTIVE);
    const open: Conversation[] = [];
    const setup = async (url: string, localAddress?: string): Promise<number | undefined> => {
      const client = await Conversation.open(helper.port, localAddress);
      open.push(client);
      return client.setup(url, 'RTP/AVP/TCP;unicast');
    };
    const adaptiveAnswers = [
      await setup(adaptive),
      await setup(adaptive),
      await setup(adaptive),
      await setup(adaptive),
    ];
    assert.deepEqual(adaptiveAnswers, [200, 200, 200, 453], 'the fourth viewer of a mount with --max-viewers 3');
    assert.equal(await setup(helper.url), 200, 'the other mount still takes a viewer');
    assert.equal(await setup(helper.url), 453, 'a fifth session from 127.0.0.1: --max-viewers-per-address 4');
    assert.equal(await setup(helper.url, '127.0.0.2'), 200, 'another address still gets one');
    const reasons = rejections(helper).map((r) => r.reason);
    assert.deepEqual(reasons, ['max_viewers', 'max_viewers_per_address']);
    for (const client of open) client.close();
    await quitHelper(helper);
  });

  it("drops RTCP from strangers before any record, limits a viewer's, binds RTP and RTCP to --host; the viewer is still heard", async (t) => {
    const helper = await helpers.start(clip, ['--adaptive-mount', ADAPTIVE, '--adaptive']);
    const viewer = await ScriptedViewer.play(helper.port, ADAPTIVE);
    const stranger = createSocket('udp4');
    // Its sockets would keep the test process alive past a failed assertion.
    t.after(() => {
      viewer.close();
      stranger.close();
    });
    await sleep(1_000);
    const sockets = execFileSync('ss', ['-H', '-uanp'])
      .toString()
      .split('\n')
      .filter((line) => line.includes(`pid=${helper.process.pid},`));
    assert.ok(
      sockets.length >= 2 && sockets.every((line) => /\s127\.0\.0\.1:\d+\s/.test(line)),
      `the helper's UDP sockets:\n${sockets.join('\n')}`,
    );

    await new Promise<void>((resolve) => stranger.bind(0, '127.0.0.1', resolve));
    const report = (ssrc: number) =>
      receiverReport({
        ssrc,
        mediaSsrc: viewer.streamSsrc ?? 0,
        fraction: 0,
        cumulativeLost: 0,
        highestSeq: viewer.highestSeq ?? 0,
      });
    const from = helper.records.count();
    // In bursts the socket's buffer takes whole: what the kernel drops is never seen.
    for (let burst = 0; burst < 20; burst += 1) {
      for (let i = 0; i < 100; i += 1)
        stranger.send(report(0x1000 + burst * 100 + i), viewer.serverRtcpPort, '127.0.0.1');
      await sleep(20);
    }
    // The viewer's own reports, 1,000 a second for a second (ten every 10 ms: the socket's buffer
    // takes them): past its rate, dropped; within it, heard.
    const ownStart = performance.now();
    for (let burst = 0; burst < 100; burst += 1) {
      await Promise.all(Array.from({ length: 10 }, () => viewer.sendRtcp(report(viewer.ssrc))));
      await sleep(10);
    }
    const ownS = (performance.now() - ownStart) / 1000;
    await sleep(2_500);
    const since = helper.records.records.slice(from);
    const rtcp = since.filter((r): r is Extract<HelperEvent, { type: 'rtcp' }> => r.type === 'rtcp');
    assert.ok(
      rtcp.every((r) => r.clientId !== undefined),
      `${rtcp.filter((r) => r.clientId === undefined).length} reports of no viewer became records`,
    );
    // A bucket of 200, refilled at 200 a second (native/feedback/rtcp-gate.h) while they were sent.
    const allowed = 200 + 200 * ownS;
    assert.ok(
      rtcp.length > 0 && rtcp.length <= allowed,
      `${rtcp.length} of the viewer's 1,000 reports in ${ownS.toFixed(2)} s were read`,
    );
    const refused = since.filter(
      (r): r is Extract<HelperEvent, { type: 'feedback_refused' }> => r.type === 'feedback_refused',
    );
    const strangers = refused.reduce((sum, r) => sum + r.strangerPackets, 0);
    const overRate = refused.reduce((sum, r) => sum + r.overRatePackets, 0);
    assert.ok(strangers >= 1_900, `${strangers} of the stranger's 2,000 packets counted as refused`);
    assert.ok(
      overRate >= 1_000 - allowed - 50,
      `${overRate} of the viewer's 1,000 packets in ${ownS.toFixed(2)} s counted past its rate`,
    );
    assert.equal(refused.find((r) => r.strangerAddress !== undefined)?.strangerAddress, '127.0.0.1');
    await quitHelper(helper);
  });

  it('reads Content-Length strictly: 400 and a close for "0x10", "16abc", "-5"', async () => {
    const helper = await helpers.start(clip);
    for (const length of ['0x10', '16abc', '-5', '1 6']) {
      const client = await RawRtsp.open(helper.port);
      client.write(
        `SET_PARAMETER ${helper.url} RTSP/1.0\r\nCSeq: 1\r\nContent-Length: ${length}\r\n\r\n0123456789abcdef`,
      );
      const reply = await client.next(2_000);
      assert.equal(reply.status, 400, `Content-Length: ${length}: ${reply.head}`);
      assert.ok((await client.next(2_000)).closed, `Content-Length: ${length}: the connection is closed after the 400`);
      client.close();
    }
    await quitHelper(helper);
  });

  it('with credentials: slows guessing per address (right ones refused once locked) and takes a Digest answer for its own URI only', async () => {
    const user = 'viewer';
    const password = 'secret';
    const key = newAuthKey();
    const helper = await helpers.start(clip, ['--adaptive-mount', ADAPTIVE], {
      env: { RTSP_HELPER_AUTH: `${user}:${password}`, RTSP_HELPER_AUTH_KEY: key.toString('hex') },
    });
    const adaptive = helper.url.replace(MOUNT, ADAPTIVE);
    const describeWith = async (
      url: string,
      answer: { password?: string; uri?: string; address?: string } = {},
    ): Promise<number | undefined> => {
      const address = answer.address ?? '127.0.0.1';
      const authorization = digestHeader({
        user,
        password: answer.password ?? password,
        method: 'DESCRIBE',
        uri: answer.uri ?? url,
        nonce: newNonce(key, Date.now() / 1000, address),
      });
      const client = await RawRtsp.open(helper.port, address);
      const reply = await client.request([`DESCRIBE ${url} RTSP/1.0`, 'CSeq: 1', authorization]);
      client.close();
      return reply.status;
    };
    assert.equal(
      await describeWith(adaptive, { uri: helper.url }),
      401,
      'an answer computed for /video1, sent on /video2',
    );
    assert.equal(
      await describeWith(adaptive, { uri: adaptive.replace('127.0.0.1', 'localhost') }),
      200,
      'the same path, the host written otherwise',
    );
    const guesses = [];
    for (let i = 0; i < 12; i += 1) guesses.push(await describeWith(helper.url, { password: `guess${i}` }));
    assert.deepEqual(new Set(guesses), new Set([401]));
    assert.equal(await describeWith(helper.url), 401, 'right credentials from a locked address are not checked');
    assert.equal(await describeWith(helper.url, { address: '127.0.0.2' }), 200, 'another address is not locked');
    const reasons = rejections(helper).map((r) => r.reason);
    assert.equal(reasons.filter((reason) => reason === 'auth_failed').length, 10, reasons.join(', '));
    assert.ok(reasons.filter((reason) => reason === 'auth_throttled').length >= 3, reasons.join(', '));
    await quitHelper(helper);
  });
});
