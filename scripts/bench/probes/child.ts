// Child processes of the bench: lines of stdout as they arrive, and a staged stop (a polite
// signal, then SIGKILL after a deadline) that is safe to call twice or after the child exited.
import type { Readable } from 'node:stream';
import type { ResultPromise } from 'execa';
import { terminateStaged } from '../../../src/supervisor/terminate.ts';

/** Calls `onLine(line, arrivedAtMs)` for each complete line; the stamp is when its chunk was read. */
export function onLines(
  stream: Readable | null | undefined,
  clock: () => number,
  onLine: (line: string, atMs: number) => void,
): void {
  if (!stream) return;
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const atMs = clock();
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) onLine(line, atMs);
  });
}

/** The last 2000 characters a stream wrote, for an error message. */
export function keepTail(stream: Readable | null | undefined): { text(): string } {
  let tail = '';
  stream?.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-2_000);
  });
  return { text: () => tail };
}

export interface StopResult {
  exitCode: number | undefined;
  signal: string | undefined;
  /** SIGKILL was needed. */
  forced: boolean;
}

export async function stopChild(child: ResultPromise, signal: NodeJS.Signals, graceMs: number): Promise<StopResult> {
  let forced = false;
  const result = await terminateStaged(
    {
      kill: (sent) => {
        forced ||= sent === 'SIGKILL';
        return child.kill(sent);
      },
      exited: child.then(
        (done) => done,
        (error: { exitCode?: number; signal?: string }) => error,
      ),
    },
    graceMs,
    signal,
  );
  return { exitCode: result.exitCode, signal: result.signal ?? undefined, forced };
}
