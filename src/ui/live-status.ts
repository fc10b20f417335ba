// Refreshes the status about once a second: a redrawn table on a terminal, a few plain lines
// every 10 s otherwise, nothing with --quiet.
import type { StreamStatus } from './status-table.ts';
import { formatStatusLines, formatStatusTable } from './status-table.ts';

const TTY_REFRESH_MS = 1_000;
const PLAIN_REFRESH_MS = 10_000;

export function startLiveStatus(
  read: () => StreamStatus[],
  elapsedS: () => number,
  options: { quiet: boolean },
): () => void {
  if (options.quiet) return () => {};
  const tty = process.stdout.isTTY === true;
  let drawnLines = 0;
  const draw = (): void => {
    if (tty) {
      const table = formatStatusTable(read());
      // Move up over the previous table and clear to the end of the screen.
      const rewind = drawnLines > 0 ? `\x1b[${drawnLines}A\x1b[J` : '';
      process.stdout.write(`${rewind}${table}\n`);
      drawnLines = table.split('\n').length;
    } else {
      process.stdout.write(`${formatStatusLines(read(), elapsedS())}\n`);
    }
  };
  const timer = setInterval(draw, tty ? TTY_REFRESH_MS : PLAIN_REFRESH_MS);
  return () => clearInterval(timer);
}
