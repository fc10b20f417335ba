// Audio and video in step, as a viewer sees them: a clip that flashes white and beeps at the same
// moment every second, played by FFmpeg, which says when each flash and each beep came out.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { ViewerTransport } from './rtsp-clients.ts';

export interface FlashBeepClip {
  path: string;
  seconds: number;
  /** FFmpeg's audio encoder and its options, e.g. ['-c:a', 'aac']. */
  audio: readonly string[];
}

/** Black 320x240 at 25 fps with two white frames, and a 100-ms 1 kHz beep, at the start of every second. */
export async function makeFlashBeepClip(clip: FlashBeepClip): Promise<void> {
  await execa(
    'ffmpeg',
    [
      ...['-nostdin', '-hide_banner', '-v', 'error', '-y'],
      ...['-f', 'lavfi', '-i', "color=black:s=320x240:r=25,drawbox=color=white:t=fill:enable='lt(mod(t,1),0.08)'"],
      ...['-f', 'lavfi', '-i', "sine=f=1000:r=48000,volume=volume=0:enable='gte(mod(t,1),0.1)'"],
      ...['-t', String(clip.seconds), '-c:v', 'libx264', '-g', '25', '-pix_fmt', 'yuv420p', ...clip.audio, clip.path],
    ],
    { timeout: 60_000 },
  );
}

export interface AvTimes {
  /** Stream time (s) of each frame that turns white after a dark one. */
  flashesS: number[];
  /** Stream time (s) at which each beep starts (FFmpeg's silencedetect: the end of a silence). */
  beepsS: number[];
}

/** FFmpeg's `metadata=print` file: `frame:N pts:P pts_time:T` lines, each followed by `key=value` lines. */
export function parseMetadataPrint(text: string, key: string): { timeS: number; value: number }[] {
  const found: { timeS: number; value: number }[] = [];
  let timeS: number | undefined;
  for (const line of text.split('\n')) {
    const frame = /pts_time:(-?[\d.]+)/.exec(line);
    if (frame) timeS = Number(frame[1]);
    else if (timeS !== undefined && line.startsWith(`${key}=`))
      found.push({ timeS, value: Number(line.slice(key.length + 1)) });
  }
  return found;
}

export function flashesOf(lumas: readonly { timeS: number; value: number }[]): number[] {
  return lumas.filter((frame, i) => frame.value > 128 && (i === 0 || lumas[i - 1]!.value <= 128)).map((f) => f.timeS);
}

/** For each flash, the beep nearest to it: the audio's lead (negative) or lag, in ms. */
export function avOffsetsMs(times: AvTimes): number[] {
  if (times.beepsS.length === 0) return [];
  return times.flashesS.map((flash) => {
    const beep = times.beepsS.reduce((best, b) => (Math.abs(b - flash) < Math.abs(best - flash) ? b : best));
    return (beep - flash) * 1000;
  });
}

/** Plays `url` with FFmpeg for `seconds` and reads when the flashes and the beeps came out. */
export async function watchFlashesAndBeeps(url: string, transport: ViewerTransport, seconds: number): Promise<AvTimes> {
  const dir = mkdtempSync(join(tmpdir(), 'av-sync-'));
  try {
    const video = join(dir, 'video.txt');
    const audio = join(dir, 'audio.txt');
    await execa(
      'ffmpeg',
      [
        ...['-nostdin', '-hide_banner', '-v', 'error', '-rtsp_transport', transport, '-i', url, '-t', String(seconds)],
        ...['-vf', `signalstats,metadata=print:key=lavfi.signalstats.YAVG:file=${video}`],
        ...['-af', `silencedetect=n=-30dB:d=0.03,ametadata=print:key=lavfi.silence_end:file=${audio}`],
        ...['-f', 'null', '-'],
      ],
      { timeout: (seconds + 20) * 1000 },
    );
    return {
      flashesS: flashesOf(parseMetadataPrint(readFileSync(video, 'utf8'), 'lavfi.signalstats.YAVG')),
      beepsS: parseMetadataPrint(readFileSync(audio, 'utf8'), 'lavfi.silence_end').map((beep) => beep.value),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const RMS_KEY = 'lavfi.astats.Overall.RMS_level';

/** Each audio frame FFmpeg decodes from `url` in `seconds`: its stream time and loudness (dB RMS,
 *  -Infinity for silence). */
export async function listenWithFfmpeg(
  url: string,
  transport: ViewerTransport,
  seconds: number,
): Promise<{ timeS: number; rmsDb: number }[]> {
  const dir = mkdtempSync(join(tmpdir(), 'listen-'));
  try {
    const levels = join(dir, 'levels.txt');
    await execa(
      'ffmpeg',
      [
        ...['-nostdin', '-hide_banner', '-v', 'error', '-rtsp_transport', transport, '-i', url, '-t', String(seconds)],
        ...['-map', '0:a:0', '-af', `astats=metadata=1:reset=1,ametadata=print:key=${RMS_KEY}:file=${levels}`],
        ...['-f', 'null', '-'],
      ],
      { timeout: (seconds + 20) * 1000 },
    );
    return parseMetadataPrint(readFileSync(levels, 'utf8'), RMS_KEY).map((frame) => ({
      timeS: frame.timeS,
      rmsDb: Number.isNaN(frame.value) ? -Infinity : frame.value,
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The codec of each stream FFprobe finds at `url`, e.g. ['h264', 'aac']. */
export async function streamCodecs(url: string, transport: ViewerTransport): Promise<string[]> {
  const result = await execa(
    'ffprobe',
    [
      ...['-v', 'error', '-rtsp_transport', transport, '-show_entries', 'stream=codec_name'],
      ...['-of', 'csv=p=0', url],
    ],
    { timeout: 20_000 },
  );
  return result.stdout.split('\n').filter((line) => line.trim() !== '');
}
