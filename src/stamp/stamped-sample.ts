// The bench's default clip: the stamped test video (docs/test-video.md), 10 s at 640x480 and
// 30 fps, generated once into videos/ (git-ignored). testsrc2 at that size fills 5 Mbit/s of x264
// ultrafast (4965 kbit/s measured on 2026-12-02), so it tests capacity as the noise clip did, and
// its stamps let the probe tell which frame a viewer sees.
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { generateTestVideo } from './test-video.ts';

export const STAMPED_SAMPLE = 'sample-stamped.mp4';
export const STAMPED_SAMPLE_FORMAT = { seconds: 10, width: 640, height: 480, fps: 30 } as const;

/** videos/sample-stamped.mp4, generated when missing (written aside, then renamed: never half a file). */
export async function ensureStampedSample(videosDir: string, onGenerate?: (path: string) => void): Promise<string> {
  const path = join(videosDir, STAMPED_SAMPLE);
  if (existsSync(path)) return path;
  onGenerate?.(path);
  mkdirSync(videosDir, { recursive: true });
  const partial = join(videosDir, `.${STAMPED_SAMPLE}.partial.mp4`);
  await generateTestVideo({ out: partial, ...STAMPED_SAMPLE_FORMAT });
  renameSync(partial, path);
  return path;
}
