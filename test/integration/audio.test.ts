// A file's audio as the second stream of both of its mounts (issue 23): as it is when RTSP players
// take it (AAC, Opus, G.711), else encoded to AAC; in step with the video across the loop; none
// when the helper is told none. Real helper, real FFmpeg.
// run-tests: early (about 35 s)
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { avOffsetsMs, makeFlashBeepClip, streamCodecs, watchFlashesAndBeeps } from '../support/av-sync.ts';
import { makeClip } from '../support/clips.ts';
import { HelperLauncher, quitHelper } from '../support/helper-launcher.ts';
import { portsOf } from '../support/ports.ts';

const PORTS = portsOf(import.meta.url);
const CLIP_S = 2;
/** The bound on audio against video, as a viewer sees them. */
const MAX_SKEW_MS = 40;

describe('audio', () => {
  const dir = mkdtempSync(join(tmpdir(), 'audio-'));
  const helpers = new HelperLauncher(PORTS.range(0, 20));
  const clip = (name: string) => join(dir, name);
  const adaptive = ['--adaptive-mount', '/video2', '--adaptive', '--width', '320', '--height', '240'];

  before(async () => {
    await execa('make', ['-s', '-C', 'native'], { cwd: new URL('../../', import.meta.url) });
    await Promise.all([
      makeFlashBeepClip({ path: clip('aac.mp4'), seconds: CLIP_S, audio: ['-c:a', 'aac', '-b:a', '96k'] }),
      makeFlashBeepClip({ path: clip('mp3.mkv'), seconds: CLIP_S, audio: ['-c:a', 'libmp3lame'] }),
      makeFlashBeepClip({ path: clip('opus.mkv'), seconds: CLIP_S, audio: ['-c:a', 'libopus'] }),
      makeFlashBeepClip({ path: clip('mulaw.mkv'), seconds: CLIP_S, audio: ['-c:a', 'pcm_mulaw', '-ar', '8000'] }),
      makeClip({ path: clip('silent.mp4'), seconds: 2, pattern: 'ball', width: 320, height: 240, fps: 25 }),
    ]);
  });

  after(() => {
    helpers.killAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it("sends an MP4's AAC as it is on both mounts, within 40 ms of the video across its loops", async () => {
    const helper = await helpers.start(clip('aac.mp4'), [...adaptive, '--audio', 'aac']);
    const dynamic = helper.url.replace(/video1$/, 'video2');
    assert.deepEqual(await streamCodecs(helper.url, 'tcp'), ['h264', 'aac']);
    assert.deepEqual(await streamCodecs(dynamic, 'udp'), ['h264', 'aac']);
    const seen = await watchFlashesAndBeeps(helper.url, 'tcp', 7 * CLIP_S);
    // FFmpeg lines the two streams up from the first sender reports, which come within a second
    // or two: the flashes from then on, six loop points among them.
    const settled = { ...seen, flashesS: seen.flashesS.filter((t) => t >= 2) };
    const offsets = avOffsetsMs(settled);
    assert.ok(offsets.length >= 10, `flashes seen: ${seen.flashesS.join(' ')}; beeps: ${seen.beepsS.join(' ')}`);
    const worst = Math.max(...offsets.map(Math.abs));
    assert.ok(worst <= MAX_SKEW_MS, `audio against video, ms: ${offsets.map((ms) => ms.toFixed(0)).join(' ')}`);
    await quitHelper(helper);
  });

  it('sends Opus and G.711 as they are, and encodes MP3 to AAC', async () => {
    for (const [file, codec, expected] of [
      ['opus.mkv', 'opus', ['h264', 'opus']],
      ['mulaw.mkv', 'pcmu', ['h264', 'pcm_mulaw']],
      ['mp3.mkv', 'aac', ['h264', 'aac']],
    ] as const) {
      const helper = await helpers.start(clip(file), [...adaptive, '--audio', codec]);
      assert.deepEqual(await streamCodecs(helper.url, 'tcp'), expected, file);
      const seen = await watchFlashesAndBeeps(helper.url, 'tcp', 3);
      assert.ok(seen.beepsS.length >= 2, `${file}: beeps heard at ${seen.beepsS.join(' ')}`);
      await quitHelper(helper);
    }
  });

  it('sends no audio stream when told none, and refuses to play a file without the audio it was told to send', async () => {
    const none = await helpers.start(clip('aac.mp4'), [...adaptive, '--audio', 'none']);
    assert.deepEqual(await streamCodecs(none.url, 'tcp'), ['h264']);
    await quitHelper(none);

    const missing = await helpers.start(clip('silent.mp4'), [...adaptive, '--audio', 'aac']);
    const probe = await execa('ffprobe', ['-v', 'error', '-rtsp_transport', 'tcp', missing.url], {
      reject: false,
      timeout: 20_000,
    });
    assert.notEqual(probe.exitCode, 0);
    const error = await missing.records.waitForRecord('error', { match: (record) => record.code === 'decode' });
    assert.match(String(error.message), /silent\.mp4: .*no audio stream/);
    await quitHelper(missing);
  });

  it('a viewer that sets up the video alone, or the audio alone, leaves the shared mount playable for the next', async () => {
    const helper = await helpers.start(clip('aac.mp4'), [...adaptive, '--audio', 'aac']);
    const play = (only: 'video' | 'audio' | undefined, seconds: number) =>
      execa(
        'ffmpeg',
        [
          ...['-nostdin', '-v', 'error', '-rtsp_transport', 'tcp'],
          ...(only ? ['-allowed_media_types', only] : []),
          ...['-i', helper.url, '-t', String(seconds), '-f', 'null', '-'],
        ],
        { reject: false, timeout: 20_000 },
      );
    for (const only of ['video', 'audio'] as const) {
      const first = play(only, 4);
      await sleep(2000);
      const next = await play(undefined, 1);
      assert.equal(next.exitCode, 0, `after a viewer of the ${only} alone: ${next.stderr}`);
      assert.equal((await first).exitCode, 0, (await first).stderr);
    }
    await quitHelper(helper);
  });

  it('refuses an audio codec it does not know, as a usage error', async () => {
    const helper = await helpers.start(clip('aac.mp4'), ['--audio', 'mp3'], { waitReady: false });
    const error = await helper.records.waitForRecord('error');
    assert.equal(error.code, 'usage');
    assert.match(String(error.message), /--audio must be none, aac, opus, pcmu or pcma, not 'mp3'/);
    assert.equal((await helper.process).exitCode, 2);
  });
});
