#!/usr/bin/env node
// Makes a fresh clone runnable: Debian packages, node_modules, native/ build — in that order,
// each only when needed. Node built-ins only: it runs before `npm ci`. Silent when all is in
// place (a few tens of milliseconds); says what it does on stderr otherwise; exits 1 with the
// failed step, command and exit code when something fails.
//
//   node scripts/bootstrap.mjs [--for start|test]
//
// --for start (default): what `npm start` needs. --for test: also what only tests need
// (chromium for the report tests), so `npm start` never installs a browser.

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNativeBuild } from './bootstrap/native-build.mjs';
import { ensureNpmDependencies } from './bootstrap/npm-deps.mjs';
import { TARGETS } from './bootstrap/packages.mjs';
import { BootstrapError } from './bootstrap/run.mjs';
import { ensureSystemPackages } from './bootstrap/system-packages.mjs';

const USAGE = 'usage: node scripts/bootstrap.mjs [--for start|test]';

/**
 * @param {readonly string[]} argv
 * @returns {import('./bootstrap/packages.mjs').Target}
 */
function parseTarget(argv) {
  /** @type {string} */
  let target = 'start';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--for') target = argv[++i] ?? '';
    else if (arg.startsWith('--for=')) target = arg.slice('--for='.length);
    else if (arg === '-h' || arg === '--help') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else throw new TypeError(`bootstrap: unknown argument ${JSON.stringify(arg)}\n${USAGE}`);
  }
  if (!(/** @type {readonly string[]} */ (TARGETS).includes(target))) {
    throw new TypeError(`bootstrap: --for must be one of ${TARGETS.join(', ')}, got ${JSON.stringify(target)}`);
  }
  return /** @type {import('./bootstrap/packages.mjs').Target} */ (target);
}

function main() {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const target = parseTarget(process.argv.slice(2));
  ensureSystemPackages(target);
  ensureNpmDependencies(root);
  ensureNativeBuild(root);
}

try {
  main();
} catch (error) {
  const known = error instanceof BootstrapError || error instanceof TypeError;
  process.stderr.write(
    `${known ? error.message : `bootstrap: unexpected error: ${error instanceof Error ? error.stack : String(error)}`}\n`,
  );
  process.exitCode = 1;
}
