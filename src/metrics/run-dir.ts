// out/<run-id>/ for one run, and out/latest pointing at it.
import { mkdirSync, renameSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

export function runId(date: Date): string {
  return date.toISOString().slice(0, 19).replaceAll(':', '-');
}

export function createRunDir(outDir: string, date: Date): string {
  mkdirSync(outDir, { recursive: true });
  let id = runId(date);
  let dir = join(outDir, id);
  for (let suffix = 2; !tryMkdir(dir); suffix += 1) {
    id = `${runId(date)}-${suffix}`;
    dir = join(outDir, id);
  }
  pointLatestAt(outDir, id);
  return dir;
}

function tryMkdir(dir: string): boolean {
  try {
    mkdirSync(dir);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** Replaced atomically so a reader never sees `latest` missing. */
function pointLatestAt(outDir: string, id: string): void {
  const temporary = join(outDir, `.latest-${process.pid}`);
  symlinkSync(id, temporary);
  renameSync(temporary, join(outDir, 'latest'));
}
