// One running helper: spawned with execa, stdout read as protocol records, stdin for commands.
import { createInterface } from 'node:readline';
import { execa } from 'execa';
import { HELPER_BINARY } from '../helper/binary.ts';
import { formatCommand, type HelperCommand } from '../helper/commands.ts';
import type { HelperEvent } from '../helper/events.ts';
import { parseHelperLine, type ParsedLine } from '../helper/protocol.ts';
import { terminateStaged } from './terminate.ts';

export interface HelperExit {
  exitCode?: number;
  signal?: string;
  /** Set when the binary could not be started at all (e.g. ENOENT). */
  spawnError?: string;
  durationMs: number;
}

export interface HelperCallbacks {
  onEvent(event: HelperEvent): void;
  onBadLine(failure: Extract<ParsedLine, { ok: false }>): void;
  onStderrLine(line: string): void;
}

export interface HelperProcess {
  readonly pid: number | undefined;
  /** Resolves once, when the process has ended and its stdout is drained. */
  readonly exited: Promise<HelperExit>;
  send(command: HelperCommand): boolean;
  /** Sends one signal at once (the watchdog's SIGKILL); the end is still reported through `exited`. */
  kill(signal: NodeJS.Signals): void;
  terminate(graceMs?: number): Promise<HelperExit>;
}

export type SpawnHelper = (args: readonly string[], callbacks: HelperCallbacks) => HelperProcess;

export interface SpawnOptions {
  binary?: string;
  env?: Record<string, string>;
  /** Applied to every line the helper writes before it is read: a live source's secrets out. */
  redact?: (line: string) => string;
}

export function spawnHelper(
  args: readonly string[],
  callbacks: HelperCallbacks,
  options: SpawnOptions = {},
): HelperProcess {
  const redact = options.redact ?? ((line: string) => line);
  const child = execa(options.binary ?? HELPER_BINARY, args, {
    stdin: 'pipe',
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: false,
    reject: false,
    env: options.env,
    // terminate.ts owns the SIGTERM -> SIGKILL staging.
    forceKillAfterDelay: false,
  });

  const stdoutDone = new Promise<void>((resolve) => {
    if (!child.stdout) return resolve();
    const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
    lines.on('line', (raw) => {
      const line = redact(raw);
      if (line.trim() === '') return;
      const parsed = parseHelperLine(line);
      if (parsed.ok) callbacks.onEvent(parsed.event);
      else callbacks.onBadLine(parsed);
    });
    lines.on('close', resolve);
  });
  if (child.stderr) {
    createInterface({ input: child.stderr, crlfDelay: Infinity }).on('line', (line) =>
      callbacks.onStderrLine(redact(line)),
    );
  }
  // A helper that is gone makes writes fail with EPIPE; its exit is reported through `exited`.
  child.stdin?.on('error', () => {});

  const exited = Promise.all([child, stdoutDone]).then(([result]): HelperExit => ({
    exitCode: result.exitCode,
    signal: result.signal,
    spawnError: result.exitCode === undefined && result.signal === undefined ? result.shortMessage : undefined,
    durationMs: result.durationMs,
  }));

  return {
    pid: child.pid,
    exited,
    send(command) {
      if (!child.stdin || child.stdin.destroyed || !child.stdin.writable) return false;
      return child.stdin.write(formatCommand(command));
    },
    kill(signal) {
      child.kill(signal);
    },
    terminate(graceMs) {
      return terminateStaged({ kill: (signal) => child.kill(signal), exited }, graceMs);
    },
  };
}

export function describeExit(exit: HelperExit): string {
  if (exit.spawnError) return `could not be started: ${exit.spawnError}`;
  if (exit.signal) return `was killed by ${exit.signal}`;
  return `exited with code ${exit.exitCode}`;
}
