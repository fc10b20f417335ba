// The viewer probe, all real: its SSIM and PSNR equal FFmpeg's filters on a real encode; `npm run
// probe` against `npm start` on loopback serving the stamped clip: over rtspsrc (UDP) on the
// static 5000 mount, e2e delay p95 under 150 ms, no stall, at least 97 % of the source frames
// shown, SSIM over 0.95; over FFmpeg (TCP) on the dynamic mount, frames counted from the stamps
// and the e2e delay said to be unmeasurable; on an unstamped clip, only what it can measure. The
// frames each probe decoded are judged against what the server sent it (test/support/sent-frames.ts).
// run-tests: alone (what it tests are the viewer's wall-clock figures: the e2e delay runs to the
// moment a picture is decoded, a stall is 183 ms without a new picture, unique frames are those the
// viewer showed; a loaded machine's decoder changes them as they are meant to show. Beside
// serve.test.ts and stress-ng on two cores, e2e p95 went from 13 to 60 ms and unique frames from 100
// to 98.7 %, near the 97 % asserted).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { REPO_ROOT, startServer, type RunningServer } from '../../scripts/lib/server.ts';
import type { ProbeSummary } from '../../src/probe/summary.ts';
import { psnrDb, ssim } from '../../src/probe/quality.ts';
import { generateTestVideo } from '../../src/stamp/test-video.ts';
import { makeClip } from '../support/clips.ts';
import { portsOf } from '../support/ports.ts';
import {
  assertDecodedUntilLeft,
  assertPlayedUntilLeft,
  viewerDelivery,
  type DecodedFrames,
} from '../support/sent-frames.ts';

const PORT = portsOf(import.meta.url).at(0);
const SUMMARY_KEYS = [
  'frames_decoded',
  'frames_unique_pct',
  'e2e_delay_p50_ms',
  'e2e_delay_p95_ms',
  'stall_count',
  'stall_s',
  'ssim_mean',
  'psnr_mean_db',
];
const dir = mkdtempSync(join(tmpdir(), 'probe-test-'));
/** 4 s: the 8-s probes see the server loop it twice. */
const stamped = join(dir, 'stamped.mp4');

async function lumaFrames(file: string): Promise<Uint8Array[]> {
  const { stdout } = await execa(
    'ffmpeg',
    ['-v', 'error', '-i', file, '-vf', 'extractplanes=y', '-f', 'rawvideo', 'pipe:1'],
    { encoding: 'buffer' },
  );
  const size = 640 * 480;
  return Array.from({ length: stdout.length / size }, (_, i) => stdout.subarray(i * size, (i + 1) * size));
}

async function probe(
  url: string,
  args: string[],
): Promise<{ summary: ProbeSummary; records: Record<string, unknown>[] }> {
  const frames = join(dir, `frames-${url.split('/').pop()}.ndjson`);
  const result = await execa(
    'node',
    ['--import', 'tsx', 'src/probe/cli.ts', url, '--seconds', '8', '--frames', frames, '--json', ...args],
    { cwd: REPO_ROOT, reject: false },
  );
  assert.equal(result.exitCode, 0, `probe of ${url}: ${result.stderr}`);
  const records = readFileSync(frames, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { summary: JSON.parse(result.stdout) as ProbeSummary, records };
}

/** What a probe of a stamped clip decoded: its frames, placed in the stream by their stamps. */
function stampedFrames(summary: ProbeSummary, records: Record<string, unknown>[]): DecodedFrames {
  const sources = records.flatMap((r) => (typeof r.source === 'number' ? [r.source] : []));
  return { frames: summary.frames_decoded, framePtsS: sources.map((source) => source / 30) };
}

describe('viewer probe', () => {
  let server: RunningServer;
  let runDir: string;

  before(async () => {
    await generateTestVideo({ out: stamped, seconds: 4, width: 640, height: 480, fps: 30 });
    const ball = join(dir, 'ball.mp4');
    await makeClip({ path: ball, seconds: 4, pattern: 'ball', width: 640, height: 480, fps: 30 });
    server = startServer([
      '--videos',
      stamped,
      ball,
      '--port',
      String(PORT),
      '--helper-ports',
      String(PORT + 1),
      '--static-bitrate',
      '5000',
      '--out',
      join(dir, 'out'),
      '--quiet',
    ]);
    await server.waitForOutput(/RTSP server ready/, 60_000);
    runDir = realpathSync(join(dir, 'out', 'latest'));
  });

  after(async () => {
    server?.process.kill('SIGTERM');
    await server?.process;
  });

  it("scores pictures as FFmpeg's ssim and psnr filters do (Y plane)", { timeout: 60_000 }, async () => {
    const coded = join(dir, 'coded.mp4');
    await execa('ffmpeg', [
      '-v',
      'error',
      '-i',
      stamped,
      '-t',
      '1',
      '-c:v',
      'libx264',
      '-b:v',
      '300k',
      '-preset',
      'ultrafast',
      coded,
    ]);
    const filters = await execa('ffmpeg', [
      '-i',
      coded,
      '-i',
      stamped,
      '-lavfi',
      `[0:v][1:v]ssim=stats_file=${dir}/ssim.log;[0:v][1:v]psnr=stats_file=${dir}/psnr.log`,
      '-f',
      'null',
      '-',
    ]);
    assert.equal(filters.exitCode, 0);
    const ssimLog = readFileSync(join(dir, 'ssim.log'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => Number(/Y:([\d.]+)/.exec(line)![1]));
    const psnrLog = readFileSync(join(dir, 'psnr.log'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => Number(/psnr_y:([\d.]+)/.exec(line)![1]));
    const [decoded, source] = await Promise.all([lumaFrames(coded), lumaFrames(stamped)]);
    for (const i of [0, 1, 29]) {
      const a = { width: 640, height: 480, luma: decoded[i]! };
      const b = { width: 640, height: 480, luma: source[i]! };
      assert.ok(Math.abs(ssim(a, b) - ssimLog[i]!) < 1e-5, `frame ${i}: SSIM ${ssim(a, b)} vs FFmpeg ${ssimLog[i]}`);
      assert.ok(
        Math.abs(psnrDb(a, b) - psnrLog[i]!) < 0.01,
        `frame ${i}: PSNR ${psnrDb(a, b)} vs FFmpeg ${psnrLog[i]}`,
      );
    }
    assert.ok(ssimLog[29]! < 0.99, `a 300 kbit/s encode is not lossless (SSIM ${ssimLog[29]})`);
  });

  it(
    'rtspsrc over UDP at 5000 kbit/s: e2e p95 < 150 ms, no stall, ≥ 97 % unique frames, SSIM > 0.95; FFmpeg over TCP and an unstamped clip say what they cannot measure',
    { timeout: 90_000 },
    async (t) => {
      const url = (mount: string) => `rtsp://127.0.0.1:${PORT}/${mount}`;
      const [rtspsrc, ffmpeg, unstamped] = await Promise.all([
        probe(url('video1'), ['--reference', stamped]),
        probe(url('video2'), ['--client', 'ffmpeg', '--transport', 'tcp', '--reference', stamped]),
        probe(url('video3'), []),
      ]);
      for (const { summary } of [rtspsrc, ffmpeg, unstamped]) {
        t.diagnostic(JSON.stringify(summary));
        for (const key of SUMMARY_KEYS) assert.ok(key in summary, `${summary.url} lacks ${key}`);
      }

      const s = rtspsrc.summary;
      assert.equal(rtspsrc.records.length, s.frames_decoded, 'one record per decoded frame');
      assertPlayedUntilLeft(await viewerDelivery(runDir, 'video1', stampedFrames(s, rtspsrc.records), 0), 'rtspsrc');
      assert.ok(s.frames_produced > 120, `the probe saw the 4-s clip loop (${s.frames_produced} source frames)`);
      assert.ok(s.e2e_frames >= s.frames_decoded / 2, `${s.e2e_frames} frames timed against the sender reports`);
      assert.ok(s.e2e_delay_p95_ms! > 0 && s.e2e_delay_p95_ms! < 150, `e2e p95 ${s.e2e_delay_p95_ms} ms`);
      assert.equal(s.stall_count, 0, `stalls: ${s.stall_s} s`);
      assert.ok(s.frames_unique_pct! >= 97, `unique ${s.frames_unique_pct} %`);
      assert.ok(s.ssim_mean! > 0.95, `SSIM ${s.ssim_mean}`);
      assert.equal(s.frames_scored, s.frames_identified);

      const f = ffmpeg.summary;
      assert.equal(f.transport, 'tcp');
      assert.ok(f.frames_unique_pct! >= 97, `FFmpeg: ${f.frames_decoded} frames, unique ${f.frames_unique_pct} %`);
      assertPlayedUntilLeft(await viewerDelivery(runDir, 'video2', stampedFrames(f, ffmpeg.records), 0), 'FFmpeg');
      assert.equal(f.e2e_delay_p95_ms, null);
      assert.match(f.not_measured.e2e_delay_p50_ms!, /FFmpeg/);
      assert.ok(f.ssim_mean! > 0.9, `FFmpeg, dynamic mount: SSIM ${f.ssim_mean}`);

      const u = unstamped.summary;
      const unstampedGot = { frames: u.frames_decoded, framePtsS: [] };
      assertDecodedUntilLeft(
        await viewerDelivery(runDir, 'video3', unstampedGot, 0),
        'the probe of the unstamped clip',
      );
      assert.equal(u.frames_unique_pct, null);
      assert.equal(u.ssim_mean, null);
      assert.match(u.not_measured.frames_unique_pct!, /stamp/);
      assert.match(u.not_measured.ssim_mean!, /--reference/);
      assert.ok(u.e2e_delay_p95_ms !== null, 'the delay needs no stamp');
    },
  );
});
