// --auth: RTSP Digest (and Basic when asked) at the helpers and at the front door, with real
// clients (FFmpeg, GStreamer), raw requests, and nonces made by the front door's code checked by
// the helper's: both sides implement one scheme. What a client decoded is judged against what the
// server says it sent it (test/support/sent-frames.ts), not the wall clock: the file runs beside
// other test files on a loaded machine.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AUTH_REALM, newAuthKey, newNonce } from '../../src/front-door/digest.ts';
import { parseAuthParams } from '../../src/front-door/auth.ts';
import { findHelpers } from '../../scripts/lib/processes.ts';
import { startServer } from '../../scripts/lib/server.ts';
import { makeClip } from '../support/clips.ts';
import { HelperLauncher, quitHelper, type Helper } from '../support/helper-launcher.ts';
import { digestHeader } from '../support/digest-header.ts';
import { RawRtsp, requestOnce, sessionOf } from '../support/raw-rtsp.ts';
import { countFramesWithFfmpeg, playWithGstreamer } from '../support/rtsp-clients.ts';
import { portsOf } from '../support/ports.ts';
import {
  assertPlayedStretch,
  assertPlayedUntilLeft,
  delivery,
  metricsMark,
  sentToClient,
  viewerDelivery,
} from '../support/sent-frames.ts';

const USER = 'viewer';
const PASSWORD = 'pa:ss word';
const KEY = newAuthKey();
const AUTH_ENV = { RTSP_HELPER_AUTH: `${USER}:${PASSWORD}`, RTSP_HELPER_AUTH_KEY: KEY.toString('hex') };
const PORTS = portsOf(import.meta.url);
const helpers = new HelperLauncher(PORTS.range(0, 30));

const withCredentials = (url: string, password = PASSWORD): string =>
  url.replace('rtsp://', `rtsp://${USER}:${encodeURIComponent(password)}@`);

/** An Authorization header for `method` on `uri`, on a nonce of the shared key made `ageS` ago for `address`. */
function authorization(method: string, uri: string, ageS = 0, password = PASSWORD, address = '127.0.0.1'): string {
  return digestHeader({ user: USER, password, method, uri, nonce: newNonce(KEY, Date.now() / 1000 - ageS, address) });
}

function challenges(head: string): string[] {
  return [...head.matchAll(/^WWW-Authenticate:\s*(.+)$/gim)].map((match) => match[1]!.trim());
}

const describe1 = (helper: Helper, extra: string[] = []) =>
  requestOnce(helper.port, [`DESCRIBE ${helper.url} RTSP/1.0`, 'CSeq: 1', ...extra]);

describe('--auth at a helper', () => {
  const dir = mkdtempSync(join(tmpdir(), 'auth-'));
  const clip = join(dir, 'ball.mp4');

  before(() => makeClip({ path: clip, seconds: 3, pattern: 'ball', width: 320, height: 240, fps: 30 }));
  after(() => {
    helpers.killAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 401 with a Digest challenge without or with wrong credentials; FFmpeg and GStreamer play with the right ones', async () => {
    const helper = await helpers.start(clip, [], { env: AUTH_ENV });
    const anonymous = await describe1(helper);
    assert.equal(anonymous.status, 401, anonymous.head);
    const [challenge, ...more] = challenges(anonymous.head);
    assert.deepEqual(more, [], 'Digest only: no Basic challenge');
    const params = parseAuthParams(challenge!.replace(/^Digest\s+/i, ''));
    assert.equal(params.get('realm'), AUTH_REALM);
    assert.match(params.get('nonce') ?? '', /^[0-9a-f]{44}$/);

    const wrong = await countFramesWithFfmpeg({
      url: withCredentials(helper.url, 'wrong'),
      transport: 'tcp',
      frames: 1,
      timeoutS: 10,
    });
    assert.notEqual(wrong.exitCode, 0);
    assert.match(wrong.stderr, /401/);
    const basic = await describe1(helper, [
      `Authorization: Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`,
    ]);
    assert.equal(basic.status, 401, 'Basic is refused unless --auth-basic');

    const ffmpeg = await countFramesWithFfmpeg({ url: withCredentials(helper.url), transport: 'tcp', seconds: 2 });
    assert.equal(ffmpeg.exitCode, 0, ffmpeg.stderr);
    const gstreamer = await playWithGstreamer({ url: withCredentials(helper.url), transport: 'udp', seconds: 3 });
    assert.equal(gstreamer.exitCode, 0, gstreamer.stderr);
    // The only viewers that played: FFmpeg over TCP, then GStreamer over UDP.
    const players = helper.records.records.flatMap((r) =>
      r.type === 'client' && r.event === 'playing' ? [[r.clientId, r.transport] as const] : [],
    );
    assert.deepEqual(
      players.map(([, transport]) => transport),
      ['tcp', 'udp'],
    );
    assertPlayedStretch(delivery(sentToClient(helper.records.records, players[0]![0]), ffmpeg), 'FFmpeg', 2);
    assertPlayedUntilLeft(delivery(sentToClient(helper.records.records, players[1]![0]), gstreamer), 'GStreamer');

    const unauthorized = helper.records.records.filter(
      (r) => r.type === 'rejected' && r.reason === 'unauthorized' && r.status === 401,
    );
    assert.ok(unauthorized.length >= 4, `${unauthorized.length} unauthorized records`);
    const ready = helper.records.records.find((r) => r.type === 'ready');
    assert.equal(ready?.type === 'ready' && ready.auth, true);
    await quitHelper(helper);
  });

  it("takes nonces made by the front door's code for this client; an expired one gets 401 with stale=TRUE; --auth-basic adds Basic", async () => {
    const helper = await helpers.start(clip, ['--auth-basic'], { env: AUTH_ENV });
    const fresh = await describe1(helper, [authorization('DESCRIBE', helper.url)]);
    assert.equal(fresh.status, 200, `${fresh.head}\n${JSON.stringify(helper.records.records)}`);
    const stale = await describe1(helper, [authorization('DESCRIBE', helper.url, 120)]);
    assert.equal(stale.status, 401);
    assert.match(challenges(stale.head).join('\n'), /stale=TRUE/);
    const upperCase = digestHeader({
      user: USER,
      password: PASSWORD,
      method: 'DESCRIBE',
      uri: helper.url,
      nonce: newNonce(KEY, Date.now() / 1000, '127.0.0.1'),
      upperCase: true,
    });
    const upper = await describe1(helper, [upperCase]);
    assert.equal(upper.status, 200, 'hex in upper case, as at the front door');
    const elsewhere = await describe1(helper, [authorization('DESCRIBE', helper.url, 0, PASSWORD, '192.0.2.7')]);
    assert.equal(elsewhere.status, 401, 'a nonce made for another client');
    const wrong = await describe1(helper, [authorization('DESCRIBE', helper.url, 0, 'nope')]);
    assert.equal(wrong.status, 401);
    assert.doesNotMatch(challenges(wrong.head).join('\n'), /stale/, 'a wrong password is no stale nonce');
    assert.deepEqual(
      challenges(wrong.head).map((c) => c.split(' ')[0]),
      ['Basic', 'Digest'],
    );
    const basic = await describe1(helper, [
      `Authorization: Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`,
    ]);
    assert.equal(basic.status, 200, basic.head);
    await quitHelper(helper);
  });

  it('does not honour a session id replayed from another connection, even an authenticated one', async () => {
    const helper = await helpers.start(clip, [], { env: AUTH_ENV });
    const owner = await RawRtsp.open(helper.port);
    const track = `${helper.url}/stream=0`;
    const setup = await owner.request([
      `SETUP ${track} RTSP/1.0`,
      'CSeq: 1',
      `Transport: RTP/AVP;unicast;client_port=${PORTS.at(40)}-${PORTS.at(41)}`,
      authorization('SETUP', track),
    ]);
    assert.equal(setup.status, 200, setup.head);
    const session = sessionOf(setup.head);
    const play = await owner.request([`PLAY ${helper.url} RTSP/1.0`, 'CSeq: 2', `Session: ${session}`]);
    assert.equal(play.status, 200, play.head);

    const intruder = await RawRtsp.open(helper.port);
    const replayed = [];
    for (const [cseq, method] of ['PAUSE', 'TEARDOWN'].entries()) {
      const reply = await intruder.request([
        `${method} ${helper.url} RTSP/1.0`,
        `CSeq: ${cseq + 1}`,
        `Session: ${session}`,
        authorization(method, helper.url),
      ]);
      replayed.push(reply.status);
    }
    assert.deepEqual(replayed, [454, 454]);
    intruder.close();
    const teardown = await owner.request([`TEARDOWN ${helper.url} RTSP/1.0`, 'CSeq: 3', `Session: ${session}`]);
    assert.equal(teardown.status, 200, 'the owner still holds its session');
    owner.close();
    await quitHelper(helper);
  });
});

describe('--auth through the front door (npm start)', () => {
  const PORT = PORTS.at(30);
  const dir = mkdtempSync(join(tmpdir(), 'auth-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it(
    'FFmpeg and GStreamer authenticate at the front door and, with the same nonce or a new one, at the helper; the password stays out of argv and metrics',
    { timeout: 90_000 },
    async () => {
      const clip = join(dir, 'clip.mp4');
      await makeClip({ path: clip, seconds: 3, pattern: 'ball', width: 320, height: 240, fps: 30 });
      const server = startServer([
        '--videos',
        clip,
        '--port',
        String(PORT),
        '--out',
        join(dir, 'out'),
        '--duration',
        '120',
        '--auth',
        `${USER}:${PASSWORD}`,
        '--quiet',
      ]);
      let runDir: string;
      try {
        await server.waitForOutput(/RTSP server ready/, 60_000);
        runDir = realpathSync(join(dir, 'out', 'latest'));
        const url = `rtsp://127.0.0.1:${PORT}/video2`;
        const anonymous = await countFramesWithFfmpeg({ url, transport: 'tcp', frames: 1, timeoutS: 10 });
        assert.notEqual(anonymous.exitCode, 0);
        assert.match(anonymous.stderr, /401/);
        let from = await metricsMark(runDir);
        const ffmpeg = await countFramesWithFfmpeg({ url: withCredentials(url), transport: 'tcp', seconds: 2 });
        assert.equal(ffmpeg.exitCode, 0, ffmpeg.stderr);
        assertPlayedStretch(await viewerDelivery(runDir, 'video2', ffmpeg, from), 'FFmpeg', 2);
        from = await metricsMark(runDir);
        // rtspsrc drops credentials given in the URL when it follows the redirect: its properties keep them.
        const gstreamer = await playWithGstreamer({
          url,
          transport: 'udp',
          seconds: 3,
          credentials: { user: USER, password: PASSWORD },
        });
        assert.equal(gstreamer.exitCode, 0, gstreamer.stderr);
        assertPlayedUntilLeft(await viewerDelivery(runDir, 'video2', gstreamer, from), 'GStreamer');
        for (const { pid } of findHelpers([PORT + 1, PORT + 2])) {
          assert.doesNotMatch(
            readFileSync(`/proc/${pid}/cmdline`, 'utf8'),
            /pa:ss/,
            "the password is not on a helper's command line",
          );
        }
      } finally {
        server.process.kill('SIGINT');
        await server.process;
      }
      const metrics = readFileSync(join(runDir, 'metrics.ndjson'), 'utf8');
      assert.doesNotMatch(metrics, /pa:ss/, 'the password is not in metrics.ndjson');
      const records = metrics
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      assert.deepEqual(records[0].options.auth, { user: USER, basic: false });
      const frontDoor = records.filter((record) => record.type === 'front_door').at(-1);
      assert.ok(frontDoor.unauthorized >= 2 && frontDoor.redirects >= 2, JSON.stringify(frontDoor));
      // FFmpeg answers the helper with the front door's nonce (it gives up on a second 401): the
      // helper takes it, so the one 401 there is GStreamer's, which asks for credentials anew.
      const helperUnauthorized = records
        .filter(
          (record) => record.type === 'rejected' && record.stream === 'video2' && record.reason === 'unauthorized',
        )
        .reduce((sum, record) => sum + record.count, 0);
      console.log(
        `front door: ${frontDoor.unauthorized} x 401, ${frontDoor.redirects} x 302; video2's helper: ${helperUnauthorized} x 401`,
      );
      assert.equal(helperUnauthorized, 1);
      assert.ok(readdirSync(runDir).includes('report.html'));
    },
  );
});
