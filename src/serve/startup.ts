// Waits until every stream is running or has given up, or the deadline passes.
import type { StreamSupervisor } from '../supervisor/stream-supervisor.ts';
import { setTimeout as sleep } from 'node:timers/promises';

const POLL_MS = 50;

export async function waitUntilSettled(supervisors: readonly StreamSupervisor[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const settled = (): boolean => supervisors.every(({ state }) => state.kind === 'running' || state.kind === 'failed');
  while (!settled() && Date.now() < deadline) {
    await sleep(POLL_MS);
  }
}
