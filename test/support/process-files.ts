// What a process holds open, from /proc: for tests that check nothing leaks.
import { readdirSync } from 'node:fs';

/** Descriptors the process has open (files, pipes, sockets). */
export function openDescriptors(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}
