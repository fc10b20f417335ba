// Waits until every stream is running or has given up, or the deadline passes.
import type { MountStatus } from '../supervisor/helper-supervisor.ts';
import { setTimeout as sleep } from 'node:timers/promises';

const POLL_MS = 50;

export async function waitUntilSettled(mounts: readonly MountStatus[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const settled = (): boolean => mounts.every(({ state }) => state.kind === 'running' || state.kind === 'failed');
  while (!settled() && Date.now() < deadline) {
    await sleep(POLL_MS);
  }
}
