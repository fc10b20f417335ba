// Generates short H.264 MP4 test clips with gst-launch-1.0 (videotestsrc).
import { execa } from 'execa';

/** videotestsrc patterns that make sense as test content. */
export const CLIP_PATTERNS = ['smpte', 'snow', 'ball', 'black', 'white', 'gradient', 'pinwheel', 'zone-plate'] as const;
export type ClipPattern = (typeof CLIP_PATTERNS)[number];

export interface ClipSpec {
  path: string;
  seconds: number;
  /** `snow` is noise: the encoder spends every bit it is given. */
  pattern: ClipPattern;
  width: number;
  height: number;
  fps: number;
  /** Adds an AAC sine track (44.1 kHz). */
  audio?: boolean;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new TypeError(`makeClip: ${name} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

function launchArgs(spec: ClipSpec): string[] {
  const fps = positiveInteger('fps', spec.fps);
  const frames = Math.round(positiveInteger('seconds', spec.seconds) * fps);
  const video = [
    'videotestsrc',
    `pattern=${spec.pattern}`,
    `num-buffers=${frames}`,
    '!',
    `video/x-raw,width=${positiveInteger('width', spec.width)},height=${positiveInteger('height', spec.height)},framerate=${fps}/1`,
    // veryfast: the default preset's stream layout (High 4:4:4 10-bit, CABAC, B-frames in a pyramid,
    // the same frame types) in half the time or less; only the encoder's search effort is lower.
    '!',
    'x264enc',
    'speed-preset=veryfast',
    '!',
    'queue',
    '!',
    'mp4mux',
    'name=mux',
    '!',
    'filesink',
    `location=${spec.path}`,
  ];
  if (!spec.audio) return video;
  const audioBuffers = Math.ceil((spec.seconds * 44_100) / 1024);
  return [
    ...video,
    'audiotestsrc',
    `num-buffers=${audioBuffers}`,
    'samplesperbuffer=1024',
    '!',
    'audio/x-raw,rate=44100',
    '!',
    'audioconvert',
    '!',
    'avenc_aac',
    '!',
    'queue',
    '!',
    'mux.',
  ];
}

/** Writes `spec.path`; rejects with gst-launch's output when it fails. */
export async function makeClip(spec: ClipSpec): Promise<void> {
  if (!(CLIP_PATTERNS as readonly string[]).includes(spec.pattern)) {
    throw new TypeError(`makeClip: unknown pattern ${JSON.stringify(spec.pattern)}`);
  }
  // No shell: `location=` takes the path verbatim, spaces included.
  await execa('gst-launch-1.0', ['-q', '-e', ...launchArgs(spec)], { timeout: 60_000 });
}
