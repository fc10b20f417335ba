// Audio against video as a viewer sees them (issue 23): a 2-s clip that flashes white and beeps at
// the start of every second, in four containers and codecs, each served by a helper with the audio
// it would get from `npm start` (as it is, or encoded to AAC) and watched by FFmpeg over TCP for
// 7 loops; for each flash, the nearest beep's lead or lag. The first 2 s are left out: FFmpeg lines
// the two streams up from the first sender reports.
//   npm run bench:audio [-- --loops 7]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { round } from '../src/metrics/round.ts';
import { spawnHelper } from '../src/supervisor/helper-process.ts';
import { avOffsetsMs, makeFlashBeepClip, watchFlashesAndBeeps } from '../test/support/av-sync.ts';
import { saveBenchResults } from './lib/save-results.ts';

const PORT = 18590;
const CLIP_S = 2;
const { values } = parseArgs({ options: { loops: { type: 'string', default: '7' } } });
const loops = Number(values.loops);
if (!(loops > 0)) throw new TypeError(`--loops must be a number above 0, got ${JSON.stringify(values.loops)}`);

const CASES = [
  { file: 'aac.mp4', ffmpegAudio: ['-c:a', 'aac', '-b:a', '96k'], helperAudio: 'aac', what: 'MP4, AAC as it is' },
  {
    file: 'mulaw.mkv',
    ffmpegAudio: ['-c:a', 'pcm_mulaw', '-ar', '8000'],
    helperAudio: 'pcmu',
    what: 'MKV, G.711 as it is',
  },
  { file: 'opus.mkv', ffmpegAudio: ['-c:a', 'libopus'], helperAudio: 'opus', what: 'MKV, Opus as it is' },
  { file: 'mp3.mkv', ffmpegAudio: ['-c:a', 'libmp3lame'], helperAudio: 'aac', what: 'MKV, MP3 encoded to AAC' },
] as const;

const dir = mkdtempSync(join(tmpdir(), 'bench-audio-'));
const rows = [];
try {
  for (const clip of CASES) {
    const path = join(dir, clip.file);
    await makeFlashBeepClip({ path, seconds: CLIP_S, audio: clip.ffmpegAudio });
    let ready: () => void = () => {};
    const isReady = new Promise<void>((resolve) => (ready = resolve));
    const helper = spawnHelper(['--file', path, '--mount', '/v', '--port', String(PORT), '--audio', clip.helperAudio], {
      onEvent: (event) => event.type === 'ready' && ready(),
      onBadLine: () => {},
      onStderrLine: () => {},
    });
    await isReady;
    const seen = await watchFlashesAndBeeps(`rtsp://127.0.0.1:${PORT}/v`, 'tcp', loops * CLIP_S + 2);
    await helper.terminate();
    const offsets = avOffsetsMs({ ...seen, flashesS: seen.flashesS.filter((t) => t >= 2) }).map((ms) => round(ms, 0));
    // The flashes at a loop point: every CLIP_S seconds of stream time.
    const atLoop = offsets.filter((_, i) => (i + 2) % CLIP_S === 0);
    rows.push({ clip: clip.what, offsetsMs: offsets, worstMs: Math.max(...offsets.map(Math.abs)), atLoopMs: atLoop });
    console.log(
      `${clip.what}: audio against video ${Math.min(...offsets)} … ${Math.max(...offsets)} ms over ${offsets.length} flashes (at loop points: ${atLoop.join(' ')})`,
    );
  }
  saveBenchResults('audio', { date: new Date().toISOString(), loops, clipS: CLIP_S, rows });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
