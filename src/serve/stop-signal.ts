// Resolves once with why the run should stop: a signal or the end of --duration.
export type StopReason = 'SIGINT' | 'SIGTERM' | 'duration';

export function waitForStop(durationS: number | undefined): Promise<StopReason> {
  return new Promise((resolve) => {
    const signals = ['SIGINT', 'SIGTERM'] as const;
    const handlers = signals.map((signal) => [signal, () => finish(signal)] as const);
    const timer = durationS === undefined ? undefined : setTimeout(() => finish('duration'), durationS * 1000);
    let done = false;
    function finish(reason: StopReason): void {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(reason);
    }
    // Handlers stay installed: a second Ctrl+C during shutdown must not kill us half-way.
    for (const [signal, handler] of handlers) process.on(signal, handler);
  });
}
