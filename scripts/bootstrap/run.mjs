// Runs one command of a bootstrap step, its output going to our stderr (stdout stays clean
// for whatever runs after the bootstrap), and turns a failure into a BootstrapError with facts.

import { spawnSync } from 'node:child_process';

export class BootstrapError extends Error {
  /**
   * @param {{ step: string, command?: string, exitCode?: number | null, signal?: string | null,
   *           detail?: string }} facts
   */
  constructor({ step, command, exitCode, signal, detail }) {
    const outcome =
      signal != null ? `was killed by ${signal}` : exitCode != null ? `exited with code ${exitCode}` : undefined;
    const parts = [`bootstrap: step "${step}" failed`];
    if (command !== undefined) parts.push(`command: ${command}${outcome ? ` (${outcome})` : ''}`);
    if (detail !== undefined) parts.push(detail);
    super(parts.join('\n  '));
    this.name = 'BootstrapError';
    this.step = step;
    this.command = command;
    this.exitCode = exitCode ?? undefined;
    this.signal = signal ?? undefined;
  }
}

/** @param {readonly string[]} argv */
export function formatCommand(argv) {
  return argv.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`)).join(' ');
}

/** @param {string} message */
export function say(message) {
  process.stderr.write(`bootstrap: ${message}\n`);
}

/**
 * Runs argv with stdout and stderr both sent to our stderr; throws BootstrapError unless it exits 0.
 * @param {string} step
 * @param {readonly string[]} argv
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv }} [options]
 */
export function run(step, argv, options = {}) {
  const [file, ...args] = argv;
  if (file === undefined) throw new TypeError('run: empty argv');
  const result = spawnSync(file, args, { stdio: ['ignore', 2, 2], ...options });
  const command = formatCommand(argv);
  if (result.error) {
    throw new BootstrapError({ step, command, detail: `could not start it: ${result.error.message}` });
  }
  if (result.status !== 0) {
    throw new BootstrapError({ step, command, exitCode: result.status, signal: result.signal });
  }
}

/**
 * Runs argv silently and returns its exit status (null if killed); for yes/no questions such
 * as `make -q`.
 * @param {readonly string[]} argv
 * @param {{ cwd?: string }} [options]
 * @returns {{ status: number | null, signal: string | null, error?: Error }}
 */
export function ask(argv, options = {}) {
  const [file, ...args] = argv;
  if (file === undefined) throw new TypeError('ask: empty argv');
  const result = spawnSync(file, args, { stdio: 'ignore', ...options });
  return { status: result.status, signal: result.signal, ...(result.error ? { error: result.error } : {}) };
}
