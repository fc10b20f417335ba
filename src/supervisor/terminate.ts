// Staged termination: the polite signal first, SIGKILL if the process ignores it.
export const DEFAULT_TERMINATE_GRACE_MS = 5_000;

export interface Killable<T> {
  kill(signal: NodeJS.Signals): boolean;
  exited: Promise<T>;
}

export async function terminateStaged<T>(
  target: Killable<T>,
  graceMs = DEFAULT_TERMINATE_GRACE_MS,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<T> {
  target.kill(signal);
  const forceKill = setTimeout(() => target.kill('SIGKILL'), graceMs);
  try {
    return await target.exited;
  } finally {
    clearTimeout(forceKill);
  }
}
