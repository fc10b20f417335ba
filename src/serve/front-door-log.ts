// What the front door tells the run. Requests, rejections and closed connections are already in
// its counters (the `front_door` records); a listening socket's own error (EMFILE when accepting,
// say) is not, and an operator must see it: a warning, at most one per WARN_EVERY_MS with how many
// were held back, so a client that keeps the server out of descriptors cannot flood the console.
import type { FrontDoorLog } from '../front-door/server.ts';
import type { Log } from '../ui/log.ts';

const WARN_EVERY_MS = 10_000;

export function frontDoorLog(
  log: Log,
  record: (message: string) => void,
  nowMs: () => number = Date.now,
): FrontDoorLog {
  let lastWarnedMs = -Infinity;
  let heldBack = 0;
  return (entry) => {
    switch (entry.kind) {
      case 'answered':
      case 'rejected':
      case 'closed':
      case 'refused':
      case 'socket-error':
        return;
      case 'server-error': {
        const message = `front door: ${entry.code ?? 'error'}: ${entry.message}`;
        record(message);
        if (nowMs() - lastWarnedMs < WARN_EVERY_MS) {
          heldBack++;
          return;
        }
        log.warn(heldBack > 0 ? `${message} (${heldBack} more since the last warning)` : message);
        lastWarnedMs = nowMs();
        heldBack = 0;
        return;
      }
    }
  };
}
