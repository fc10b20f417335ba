// The default videos served when no --videos are given: three synthetic clips, generated once
// with gst-launch-1.0 and kept in videos/ (git-ignored). Their content differs in how hard it is
// to encode (a ball on black, scrolling colour bars, snow), so their bitrates differ a lot.

import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { execa } from 'execa';

export interface SampleVideo {
  file: string;
  /** videotestsrc properties */
  source: readonly string[];
}

export const SAMPLE_VIDEOS: readonly SampleVideo[] = [
  { file: 'sample-ball.mp4', source: ['pattern=ball'] },
  { file: 'sample-bars.mp4', source: ['pattern=smpte', 'horizontal-speed=4'] },
  { file: 'sample-snow.mp4', source: ['pattern=snow'] },
];

export const SAMPLE_FORMAT = { width: 640, height: 480, fps: 30, durationS: 10 } as const;
const GENERATE_TIMEOUT_MS = 120_000;

export interface EnsureSampleVideosOptions {
  /** called before each clip is generated (e.g. to print "generating ...") */
  onGenerate?: (path: string) => void;
}

export class SampleVideoError extends Error {
  override name = 'SampleVideoError';
  constructor(
    message: string,
    readonly path: string,
    readonly exitCode: number | undefined,
    readonly signal: string | undefined,
    readonly stderrTail: string,
  ) {
    super(message);
  }
}

/**
 * gst-launch-1.0 arguments that write one sample clip to `location`: 8-bit 4:2:0 H.264 High
 * profile (what every player decodes; unconstrained, x264enc picks 4:4:4 10-bit), constant
 * quality (so the bitrate follows the content) capped at 6 Mbit/s, a key frame every second.
 */
export function samplePipeline(video: SampleVideo, location: string): string[] {
  const { width, height, fps, durationS } = SAMPLE_FORMAT;
  return [
    '-q',
    'videotestsrc',
    ...video.source,
    `num-buffers=${fps * durationS}`,
    '!',
    `video/x-raw,format=I420,width=${width},height=${height},framerate=${fps}/1`,
    '!',
    'x264enc',
    'pass=qual',
    'quantizer=23',
    'bitrate=6000',
    'speed-preset=veryfast',
    `key-int-max=${fps}`,
    '!',
    'video/x-h264,profile=high',
    '!',
    'h264parse',
    '!',
    'mp4mux',
    '!',
    'filesink',
    `location=${gstQuote(location)}`,
  ];
}

/** gst-launch joins its arguments and parses them again: quote values that hold spaces. */
function gstQuote(value: string): string {
  return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

async function isPresent(path: string): Promise<boolean> {
  try {
    const stats = await stat(path);
    return stats.isFile() && stats.size > 0;
  } catch {
    return false;
  }
}

async function generate(video: SampleVideo, path: string): Promise<void> {
  // A temporary name, renamed when complete: a crash or a kill never leaves a half file at `path`.
  // The name ends in .mp4 so that git ignores it like the clips themselves (videos/*.mp4).
  const partial = join(dirname(path), `.${basename(path)}.${process.pid}.partial.mp4`);
  const result = await execa('gst-launch-1.0', samplePipeline(video, partial), {
    reject: false,
    timeout: GENERATE_TIMEOUT_MS,
    stdin: 'ignore',
    env: { LC_ALL: 'C' },
  });
  if (result.exitCode !== 0 || !(await isPresent(partial))) {
    await rm(partial, { force: true }).catch(() => undefined); // never mask the real failure
    const stderrTail = String(result.stderr ?? '')
      .trim()
      .split('\n')
      .slice(-15)
      .join('\n')
      .slice(-2000);
    const how = result.timedOut
      ? `timed out after ${GENERATE_TIMEOUT_MS / 1000} s`
      : result.signal
        ? `was killed by ${result.signal}`
        : result.exitCode === undefined
          ? `could not start (${result.code ?? result.shortMessage})`
          : result.exitCode !== 0
            ? `exited with code ${result.exitCode}`
            : 'exited 0 but wrote nothing';
    throw new SampleVideoError(
      `could not generate ${path}: gst-launch-1.0 ${how}${stderrTail ? `\n${stderrTail}` : ''}`,
      path,
      result.exitCode,
      result.signal,
      stderrTail,
    );
  }
  await rename(partial, path);
}

/**
 * Returns the paths of the three sample videos in `dir`, generating the missing ones (together,
 * a few seconds). Present files are trusted: they only ever appear complete.
 */
export async function ensureSampleVideos(dir = 'videos', options: EnsureSampleVideosOptions = {}): Promise<string[]> {
  const paths = SAMPLE_VIDEOS.map((video) => join(dir, video.file));
  const present = await Promise.all(paths.map(isPresent));
  if (present.every(Boolean)) return paths;

  await mkdir(dir, { recursive: true });
  const jobs = SAMPLE_VIDEOS.flatMap((video, i) => {
    const path = paths[i] as string;
    if (present[i]) return [];
    options.onGenerate?.(path);
    return [generate(video, path)];
  });
  // Wait for every job, so no child and no partial file outlives a failure; then report the first.
  const failure = (await Promise.allSettled(jobs)).find((outcome) => outcome.status === 'rejected');
  if (failure) throw failure.reason;
  return paths;
}
