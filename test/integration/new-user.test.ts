// What a new user meets (issue 23), with the real CLI, helper and clients: their own file, from
// the folder they are in, under a name of their choosing.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { REPO_ROOT, startServer, type RunningServer } from '../../scripts/lib/server.ts';
import { streamCodecs } from '../support/av-sync.ts';
import { makeClip } from '../support/clips.ts';
import { portsOf } from '../support/ports.ts';
import { digestHeader } from '../support/digest-header.ts';
import { RawRtsp } from '../support/raw-rtsp.ts';
import { countFramesWithFfmpeg, playWithGstreamer } from '../support/rtsp-clients.ts';

const PORTS = portsOf(import.meta.url);
/** The user's folder, which is not the project's. */
const userDir = mkdtempSync(join(tmpdir(), 'new-user-'));

describe('a named file from the folder the command was typed in', () => {
  const port = PORTS.at(0);
  let server: RunningServer;

  before(async () => {
    const hd = {
      path: join(userDir, 'hd.mp4'),
      seconds: 2,
      pattern: 'ball',
      width: 1280,
      height: 720,
      fps: 25,
    } as const;
    await makeClip({ ...hd, audio: true });
    // npm start runs in the project's folder and says in INIT_CWD where the user typed it.
    server = startServer(['--videos', 'forest=hd.mp4', '--port', String(port), '--out', 'runs', '--quiet'], {
      env: { INIT_CWD: userDir },
    });
    await server.waitForOutput(/RTSP server ready/);
  });

  after(async () => {
    server.process.kill('SIGINT');
    await server.process;
  });

  it('mounts it at /forest and /forest/adaptive, with its outputs in the user folder', () => {
    const ready = server.output();
    assert.match(ready, new RegExp(`metrics in ${join(userDir, 'runs')}/`));
    assert.match(ready, new RegExp(`forest +static +rtsp://127\\.0\\.0\\.1:${port}/forest `));
    assert.match(ready, new RegExp(`forest/adaptive +dynamic +rtsp://127\\.0\\.0\\.1:${port}/forest/adaptive `));
    assert.match(ready, new RegExp(`\\(helper on port ${PORTS.at(1)}\\)`), 'one helper: one port, not a range');
  });

  it("plays both at the file's own size and rate, with its sound; /forest/adaptive is the dynamic mount (461 to FFmpeg over UDP)", async () => {
    const url = `rtsp://127.0.0.1:${port}/forest`;
    assert.match(server.output(), /forest +static +\S+ +hd\.mp4 +1280x720 25 fps H\.264, AAC audio \(the file's\) /);
    assert.deepEqual(await streamCodecs(url, 'udp'), ['h264', 'aac']);
    assert.deepEqual(await streamCodecs(`${url}/adaptive`, 'tcp'), ['h264', 'aac']);
    const fixed = await countFramesWithFfmpeg({ url, transport: 'udp', frames: 10 });
    assert.equal(fixed.frames, 10, fixed.stderr);
    const adaptive = await countFramesWithFfmpeg({ url: `${url}/adaptive`, transport: 'tcp', frames: 10 });
    assert.equal(adaptive.frames, 10, adaptive.stderr);
    for (const played of [fixed, adaptive]) assert.deepEqual([played.width, played.height], [1280, 720]);
    const gaps = fixed.packets.slice(1).map((packet, k) => packet.ptsS - fixed.packets[k]!.ptsS);
    const median = gaps.sort((a, b) => a - b)[gaps.length >> 1]!;
    assert.ok(Math.abs(median - 0.04) < 0.002, `frames ${median * 1000} ms apart: the file's 25 fps`);
    const refused = await countFramesWithFfmpeg({ url: `${url}/adaptive`, transport: 'udp', frames: 10 });
    assert.equal(refused.frames, 0);
    assert.match(refused.stderr, /461/);
  });

  it("the probe's defaults play the dynamic mount with FFmpeg underneath; it says when the reference is not the clip", async () => {
    const probe = await execa(
      'node',
      [
        ...['--import', 'tsx', 'src/probe/cli.ts', `rtsp://127.0.0.1:${port}/forest/adaptive`, '--client', 'ffmpeg'],
        ...['--seconds', '3', '--frames', join(userDir, 'probe.ndjson'), '--json'],
        // Not a stamped clip: its SSIM would be a number about nothing.
        ...['--reference', join(userDir, 'hd.mp4')],
      ],
      { cwd: REPO_ROOT, reject: false },
    );
    assert.equal(probe.exitCode, 0, probe.stderr);
    assert.match(probe.stderr, /warning: --reference .*hd\.mp4: its frames do not carry their own numbers/);
    const summary = JSON.parse(probe.stdout) as { ssim_mean: number | null; not_measured: Record<string, string> };
    assert.equal(summary.ssim_mean, null);
    assert.match(summary.not_measured.ssim_mean!, /SSIM and PSNR are not scored/);
  });
});

describe('paths that are not there', () => {
  it('names the absolute path it tried, from the user folder or the config file folder', async () => {
    const port = PORTS.at(10);
    const elsewhere = mkdtempSync(join(tmpdir(), 'new-user-config-'));
    writeFileSync(join(elsewhere, 'serve.yaml'), 'videos:\n  - gate=gate.mp4\n');
    const server = startServer(
      ['--videos', 'missing.mp4', '--config', join(elsewhere, 'serve.yaml'), '--port', String(port)],
      {
        env: { INIT_CWD: userDir },
      },
    );
    const result = await server.process;
    // The command line's --videos wins over the file's: ask for the file's alone next.
    assert.equal(result.exitCode, 1);
    assert.match(server.output(), new RegExp(`${join(userDir, 'missing.mp4')}: does not exist`));
    const fromConfig = startServer(['--config', 'serve.yaml', '--port', String(port)], {
      env: { INIT_CWD: elsewhere },
    });
    assert.equal((await fromConfig.process).exitCode, 1);
    assert.match(fromConfig.output(), new RegExp(`${join(elsewhere, 'gate.mp4')}: does not exist`));
  });
});

describe('credentials in the URL, through the redirect (--auth)', () => {
  const port = PORTS.at(14);
  const [user, password] = ['viewer', 'pa:ss'];
  let server: RunningServer;

  before(async () => {
    await makeClip({ path: join(userDir, 'gate.mp4'), seconds: 2, pattern: 'smpte', width: 320, height: 240, fps: 30 });
    server = startServer(
      [
        ...['--videos', 'forest=hd.mp4', 'gate.mp4', '--port', String(port), '--out', 'runs', '--quiet'],
        ...['--max-size', '640x480', '--auth', `${user}:${password}`],
      ],
      { env: { INIT_CWD: userDir } },
    );
    await server.waitForOutput(/RTSP server ready/);
  });

  after(async () => {
    server.process.kill('SIGINT');
    await server.process;
  });

  it('rtspsrc and FFmpeg play rtsp://user:pass@host/forest/adaptive', async () => {
    const url = `rtsp://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/forest/adaptive`;
    const gstreamer = await playWithGstreamer({ url, transport: 'udp', seconds: 2 });
    assert.equal(gstreamer.exitCode, 0, gstreamer.stderr);
    assert.ok(gstreamer.frames >= 20, `rtspsrc decoded ${gstreamer.frames} frames`);
    const ffmpeg = await countFramesWithFfmpeg({ url, transport: 'tcp', frames: 10 });
    assert.equal(ffmpeg.frames, 10, ffmpeg.stderr);
  });

  /** DESCRIBE at `url` from `from`: the first answer, then the one to the credentials, if asked. */
  async function describe(url: URL, from: string, credentials?: { user: string; password: string }) {
    const client = await RawRtsp.open(Number(url.port), from);
    try {
      const plain = `rtsp://127.0.0.1:${url.port}${url.pathname}`;
      client.write(`DESCRIBE ${plain} RTSP/1.0\r\nCSeq: 1\r\nAccept: application/sdp\r\n\r\n`);
      const challenge = await client.next();
      const nonce = /nonce="([^"]+)"/.exec(challenge.head)?.[1];
      if (challenge.status !== 401 || credentials === undefined || nonce === undefined) return challenge;
      const authorization = digestHeader({ ...credentials, method: 'DESCRIBE', uri: plain, nonce });
      client.write(`DESCRIBE ${plain} RTSP/1.0\r\nCSeq: 2\r\n${authorization}\r\nAccept: application/sdp\r\n\r\n`);
      return await client.next();
    } finally {
      client.socket.destroy();
    }
  }

  it("the redirect's credentials are the client's alone, for its video: another address or video gets 401", async () => {
    const redirect = await describe(new URL(`rtsp://127.0.0.1:${port}/forest`), '127.0.0.1', { user, password });
    assert.equal(redirect.status, 302, redirect.head);
    const location = new URL(/^Location: (\S+)/im.exec(redirect.head)![1]!);
    assert.match(location.username, /^abr-redirect-\d+$/);
    assert.doesNotMatch(redirect.head, /pa:ss|pa%3Ass/, 'never the password');
    const token = { user: location.username, password: location.password };
    assert.equal((await describe(location, '127.0.0.1', token)).status, 200, 'its own client, its own video');
    assert.equal((await describe(location, '127.0.0.2', token)).status, 401, 'another address');
    const otherVideo = new URL(location.href);
    otherVideo.port = String(PORTS.at(16));
    otherVideo.pathname = '/video3';
    assert.equal((await describe(otherVideo, '127.0.0.1', token)).status, 401, 'another video');
  });
});
