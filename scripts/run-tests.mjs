#!/usr/bin/env node
// Runs the TypeScript tests with node's built-in runner and tsx:
//
//   node scripts/run-tests.mjs [unit|integration|all] [paths...] [-- node --test flags...]
//
// unit = every test/**/*.test.ts outside test/integration/; integration = those inside it;
// all (the default) = both. Paths (files or folders) narrow the run to the tests they hold,
// so `npm test -- test/foo.test.ts` runs one file. Arguments starting with `-` go to
// `node --test` (e.g. --test-name-pattern=probe). Exit code is the runner's.
//
// Two files run at a time (node's default on two cores is one): the integration tests mostly
// wait on real-time playback, and each file owns its loopback ports and namespace names. Tests
// that play judge what a client decoded against what the server sent it (test/support/sent-frames.ts),
// which a loaded machine does not change. A file whose first lines hold the marker
// `run-tests: alone` runs after the others, by itself: one whose subject is a viewer's wall-clock
// figures (the probe's delay and stalls), which another encoding test file beside it changes; its
// marker says why. Of the others, files marked `run-tests: early` (the longest) start first, so
// that they overlap the many short ones instead of running on their own at the end.

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants } from 'node:os';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MODES = ['unit', 'integration', 'all'];
const CONCURRENCY = 2;
const INTEGRATION_DIR = join('test', 'integration');
const ALONE_MARKER = 'run-tests: alone';
const EARLY_MARKER = 'run-tests: early';

/** @param {string} file relative to ROOT @param {string} marker */
function hasMarker(file, marker) {
  return readFileSync(join(ROOT, file), 'utf8').slice(0, 1000).includes(marker);
}

/** @param {string} file relative to ROOT */
function runsAlone(file) {
  return hasMarker(file, ALONE_MARKER);
}

/** @param {string} dir absolute @returns {string[]} absolute paths of *.test.ts below dir */
function findTests(dir) {
  if (statSync(dir).isFile()) return [dir];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.test.ts') && !name.split(sep).includes('node_modules'))
    .map((name) => join(dir, name));
}

/** @param {string} file absolute */
function isIntegration(file) {
  const rel = relative(ROOT, file);
  return rel === INTEGRATION_DIR || rel.startsWith(INTEGRATION_DIR + sep);
}

function main() {
  const args = process.argv.slice(2);
  let mode = 'all';
  if (args[0] !== undefined && MODES.includes(args[0])) mode = /** @type {string} */ (args.shift());
  const flags = args.filter((arg) => arg.startsWith('-') && arg !== '--');
  const paths = args.filter((arg) => !arg.startsWith('-'));

  for (const path of paths) {
    if (!existsSync(resolve(path))) {
      process.stderr.write(`run-tests: no such file or folder: ${path}\n`);
      return 2;
    }
  }
  const roots = paths.length > 0 ? paths.map((path) => resolve(path)) : [join(ROOT, 'test')];
  const files = [...new Set(roots.flatMap((dir) => (existsSync(dir) ? findTests(dir) : [])))]
    .filter((file) => mode === 'all' || (mode === 'integration') === isIntegration(file))
    .sort()
    .map((file) => relative(ROOT, file));
  if (files.length === 0) {
    process.stderr.write(
      `run-tests: no ${mode === 'all' ? '' : `${mode} `}test files under ${roots.map((r) => relative(ROOT, r) || '.').join(', ')}\n`,
    );
    return 1;
  }

  const reporter = flags.some((flag) => flag.startsWith('--test-reporter')) ? [] : ['--test-reporter=spec'];
  const others = files.filter((file) => !runsAlone(file));
  const concurrent = [
    ...others.filter((file) => hasMarker(file, EARLY_MARKER)),
    ...others.filter((file) => !hasMarker(file, EARLY_MARKER)),
  ];
  const alone = files.filter(runsAlone);
  let status = 0;
  for (const [batch, concurrency] of /** @type {const} */ ([
    [concurrent, CONCURRENCY],
    [alone, 1],
  ])) {
    if (batch.length === 0) continue;
    const flagged = flags.some((flag) => flag.startsWith('--test-concurrency'))
      ? []
      : [`--test-concurrency=${concurrency}`];
    status = Math.max(status, runNode([...reporter, ...flagged, ...flags, ...batch]));
  }
  return status;
}

/** @param {string[]} args for `node --import tsx --test` @returns {number} its exit status */
function runNode(args) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...args], { cwd: ROOT, stdio: 'inherit' });
  if (result.error) {
    process.stderr.write(`run-tests: could not start node: ${result.error.message}\n`);
    return 1;
  }
  if (result.signal) {
    process.stderr.write(`run-tests: test runner was killed by ${result.signal}\n`);
    return 128 + (constants.signals[/** @type {NodeJS.Signals} */ (result.signal)] ?? 0);
  }
  return result.status ?? 1;
}

process.exitCode = main();
