// File-system checks before any child process: a missing file, a folder, a device or an
// unreadable file needs no decoder, and a FIFO would block discoverer forever.
import { constants as fsConstants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import type { ProbeFailure, ProbeFailureCode } from './probe-result.ts';

/** Maps a stat/access error to a verdict (root passes every permission check, so tests use this). */
export function classifyFsError(path: string, error: NodeJS.ErrnoException): ProbeFailure {
  const fail = (code: ProbeFailureCode, reason: string): ProbeFailure => ({ ok: false, path, code, reason });
  switch (error.code) {
    case 'ENOENT':
      return fail('not-found', 'does not exist');
    case 'ENOTDIR':
      return fail('not-found', 'does not exist (a parent in the path is not a folder)');
    case 'ELOOP':
      return fail('not-found', 'cannot be reached (symbolic link loop)');
    case 'EACCES':
    case 'EPERM':
      return fail('not-readable', `is not readable (permission denied, ${error.code})`);
    default:
      return fail('not-readable', `cannot be accessed (${error.code ?? error.message})`);
  }
}

interface StatLike {
  isFile(): boolean;
  isDirectory(): boolean;
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSocket(): boolean;
  size: number;
}

export function classifyStats(path: string, stats: StatLike): ProbeFailure | undefined {
  if (stats.isFile()) {
    return stats.size === 0 ? { ok: false, path, code: 'not-decodable', reason: 'is empty (0 bytes)' } : undefined;
  }
  if (stats.isDirectory()) return { ok: false, path, code: 'directory', reason: 'is a directory, not a video file' };
  const kind = stats.isFIFO()
    ? 'a FIFO (named pipe)'
    : stats.isCharacterDevice()
      ? 'a character device'
      : stats.isBlockDevice()
        ? 'a block device'
        : stats.isSocket()
          ? 'a socket'
          : 'not a regular file';
  return { ok: false, path, code: 'not-regular-file', reason: `is ${kind}, not a regular file` };
}

export async function checkFile(path: string): Promise<ProbeFailure | undefined> {
  try {
    const failure = classifyStats(path, await stat(path));
    if (failure) return failure;
    await access(path, fsConstants.R_OK);
    return undefined;
  } catch (error) {
    return classifyFsError(path, error as NodeJS.ErrnoException);
  }
}
