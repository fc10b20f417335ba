// The reference clip's frames, decoded by FFmpeg and scaled to the stream's picture size (bilinear,
// as the server scales), Y plane as decoded: frame n of the file is what stamp n shows.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
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

/** Frames in one loop of a clip and their duration (ffprobe). */
export async function clipTiming(file: string): Promise<{ frames: number; frameMs: number }> {
  const result = await execa('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=nb_frames', '-of', 'csv=p=0', file], { reject: false });
  const frames = Number(result.stdout.trim());
  if (result.exitCode !== 0 || !Number.isInteger(frames) || frames <= 0) throw new ReferenceError(`${file}: no frame count (ffprobe exit code ${result.exitCode}: ${result.stderr.trim().slice(-200)})`);
  return { frames, frameMs: 1000 / (await frameRate(file)) };
}

async function frameRate(file: string): Promise<number> {
  const result = await execa('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=avg_frame_rate', '-of', 'csv=p=0', file], { reject: false });
  const [num, den] = result.stdout.trim().split('/').map(Number);
  if (result.exitCode !== 0 || !num || !den) throw new ReferenceError(`--reference ${file}: no video frame rate (ffprobe exit code ${result.exitCode}: ${result.stderr.trim().slice(-200)})`);
  return num / den;
}

async function pictureSize(file: string): Promise<{ width: number; height: number }> {
  const result = await execa('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', file], { reject: false });
  const [width, height] = result.stdout.trim().split(',').map(Number);
  if (result.exitCode !== 0 || !width || !height) throw new ReferenceError(`--reference ${file}: no video picture size (ffprobe exit code ${result.exitCode}: ${result.stderr.trim().slice(-200)})`);
  return { width, height };
}

/** The clip's frames at `size`, by default its own. */
export async function loadReference(file: string, size?: { width: number; height: number }): Promise<Reference> {
  const fps = await frameRate(file);
  const { width, height } = size ?? (await pictureSize(file));
  // Through a file, read in one piece: collecting ~100 MB from a pipe costs Node a second of CPU.
  const dir = mkdtempSync(join(tmpdir(), 'abr-reference-'));
  const raw = join(dir, 'luma.raw');
  let bytes: Buffer;
  try {
    const result = await execa('ffmpeg', ['-nostdin', '-v', 'error', '-i', file, '-an', '-vf', `scale=${width}:${height}:flags=bilinear,format=yuv420p,extractplanes=y`, '-f', 'rawvideo', '-y', raw], { reject: false });
    if (result.exitCode !== 0) throw new ReferenceError(`--reference ${file}: FFmpeg could not decode it (exit code ${result.exitCode}${result.signal ? `, ${result.signal}` : ''}): ${result.stderr.trim().slice(-300)}`);
    bytes = readFileSync(raw);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const frameBytes = width * height;
  const count = Math.floor(bytes.length / frameBytes);
  if (count === 0) throw new ReferenceError(`--reference ${file}: no frame decoded`);
  const frames = Array.from({ length: count }, (_, i) => ({ width, height, luma: bytes.subarray(i * frameBytes, (i + 1) * frameBytes) }));
  return { file, frames, frameMs: 1000 / fps };
}
