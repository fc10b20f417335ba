// Notices a served file that is removed (or renamed away) during the run, once per stream (a live
// source has no file).
// The helper already has the file open, so what it streams now goes on; only a new media
// (the next viewer after all have left, or a restart) needs the path again.
import { stat } from 'node:fs/promises';
import type { StreamSpec } from '../streams/plan.ts';

const INPUT_WATCH_INTERVAL_MS = 2_000;

export function watchInputs(
  streams: readonly StreamSpec[],
  onRemoved: (stream: StreamSpec, message: string) => void,
  intervalMs = INPUT_WATCH_INTERVAL_MS,
): () => void {
  const reported = new Set<string>();
  const check = async (stream: StreamSpec): Promise<void> => {
    try {
      await stat(stream.file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || reported.has(stream.name)) return;
      reported.add(stream.name);
      onRemoved(
        stream,
        `${stream.name}: ${stream.file} was removed while being served; the helper keeps streaming the copy it has open, a new media of this stream (after every viewer left, or a restart) will fail with a decode error`,
      );
    }
  };
  const files = streams.filter((stream) => stream.uri === undefined);
  const timer = setInterval(() => {
    for (const stream of files) void check(stream);
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
