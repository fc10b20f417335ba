// The reference clip's frames, decoded by FFmpeg and scaled to the stream's picture size (bilinear,
// as the server scales), Y plane as decoded: frame n of the file is what stamp n shows.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { probeVideo, type VideoInfo } from '../inputs/probe.ts';
import type { LumaPlane } from './quality.ts';

export class ReferenceError extends Error {
  override name = 'ReferenceError';
}

export interface Reference {
  file: string;
  frames: LumaPlane[];
  /** The file's frame duration, ms. */
  frameMs: number;
}

/** The clip as the server sees it (gst-discoverer, src/inputs/probe.ts): the same frame rate. */
async function videoOf(file: string): Promise<VideoInfo & { fps: number }> {
  const info = await probeVideo(file);
  if (!info.ok) throw new ReferenceError(`--reference ${file}: ${info.reason}`);
  if (info.fps === undefined)
    throw new ReferenceError(`--reference ${file}: no fixed frame rate, so no frame numbers to compare`);
  return { ...info, fps: info.fps };
}

/** Frames in one loop of a clip and their duration. */
export async function clipTiming(file: string): Promise<{ frames: number; frameMs: number }> {
  const info = await videoOf(file);
  if (info.durationS === undefined) throw new ReferenceError(`${file}: no length, so no frame count`);
  return { frames: Math.round(info.durationS * info.fps), frameMs: 1000 / info.fps };
}

/** The clip's frames at `size`, by default its own. */
export async function loadReference(file: string, size?: { width: number; height: number }): Promise<Reference> {
  const info = await videoOf(file);
  const { width, height } = size ?? info;
  // Through a file, read in one piece: collecting ~100 MB from a pipe costs Node a second of CPU.
  const dir = mkdtempSync(join(tmpdir(), 'abr-reference-'));
  const raw = join(dir, 'luma.raw');
  let bytes: Buffer;
  try {
    const result = await execa(
      'ffmpeg',
      [
        '-nostdin',
        '-v',
        'error',
        '-i',
        file,
        '-an',
        '-vf',
        `scale=${width}:${height}:flags=bilinear,format=yuv420p,extractplanes=y`,
        '-f',
        'rawvideo',
        '-y',
        raw,
      ],
      { reject: false },
    );
    if (result.exitCode !== 0)
      throw new ReferenceError(
        `--reference ${file}: FFmpeg could not decode it (exit code ${result.exitCode}${result.signal ? `, ${result.signal}` : ''}): ${result.stderr.trim().slice(-300)}`,
      );
    bytes = readFileSync(raw);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const frameBytes = width * height;
  const count = Math.floor(bytes.length / frameBytes);
  if (count === 0) throw new ReferenceError(`--reference ${file}: no frame decoded`);
  const frames = Array.from({ length: count }, (_, i) => ({
    width,
    height,
    luma: bytes.subarray(i * frameBytes, (i + 1) * frameBytes),
  }));
  return { file, frames, frameMs: 1000 / info.fps };
}
