// Step 2: node_modules. Fresh when our stamp (written after a successful `npm ci`) records the
// current package-lock.json hash and Node ABI. Without a matching stamp, npm's own record of
// what it installed (node_modules/.package-lock.json) is compared with the lockfile, so a tree
// installed by hand (`npm install`) is adopted rather than reinstalled.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BootstrapError, run, say } from './run.mjs';

const STEP = 'npm dependencies';
export const STAMP_NAME = '.bootstrap-stamp.json';

/**
 * @typedef {{ lockSha256: string, nodeAbi: string }} Stamp
 * @typedef {{ fresh: true, writeStamp: boolean } | { fresh: false, reason: string }} NpmState
 */

/** @param {string} text */
export function sha256(text) {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Pure: does npm's hidden lockfile describe the tree the lockfile asks for? Every package npm
 * installed must be in the lockfile at the same version and integrity; every lockfile package
 * npm did not install must be optional (another platform's binary, e.g. @esbuild/darwin-arm64).
 * @param {unknown} lock parsed package-lock.json
 * @param {unknown} hidden parsed node_modules/.package-lock.json
 */
export function lockfilesMatch(lock, hidden) {
  const wanted = packagesOf(lock);
  const have = packagesOf(hidden);
  if (wanted === undefined || have === undefined) return false;
  for (const [path, entry] of Object.entries(have)) {
    const expected = wanted[path];
    if (expected === undefined) return false;
    if (expected.version !== entry.version || expected.link !== entry.link) return false;
    if (expected.integrity !== undefined && entry.integrity !== undefined && expected.integrity !== entry.integrity) {
      return false;
    }
  }
  for (const [path, entry] of Object.entries(wanted)) {
    if (path === '' || path in have) continue;
    if (entry.optional !== true) return false;
  }
  return true;
}

/**
 * `canvas` compiles against Node's headers. node-gyp downloads them unless told where they are;
 * a Debian (or any packaged) Node ships them beside itself, so point node-gyp there when no
 * npm configuration already does.
 * @param {NodeJS.ProcessEnv} env
 * @param {string} nodePath
 */
export function buildEnv(env, nodePath) {
  const prefix = dirname(dirname(nodePath));
  const configured = Object.keys(env).some((key) => key.toLowerCase() === 'npm_config_nodedir');
  if (configured || !existsSync(join(prefix, 'include', 'node', 'common.gypi'))) return env;
  return { ...env, npm_config_nodedir: prefix };
}

/**
 * @param {unknown} lockfile
 * @returns {Record<string, { version?: string, integrity?: string, link?: boolean, optional?: boolean }> | undefined}
 */
function packagesOf(lockfile) {
  if (typeof lockfile !== 'object' || lockfile === null) return undefined;
  const packages = /** @type {{ packages?: unknown }} */ (lockfile).packages;
  if (typeof packages !== 'object' || packages === null) return undefined;
  return /** @type {Record<string, { version?: string }>} */ (packages);
}

/**
 * Pure decision from the facts read from disk.
 * @param {{ hasNodeModules: boolean, lockText: string, nodeAbi: string,
 *           stamp: Stamp | undefined, hiddenLock: unknown }} facts
 * @returns {NpmState}
 */
export function decideNpm({ hasNodeModules, lockText, nodeAbi, stamp, hiddenLock }) {
  if (!hasNodeModules) return { fresh: false, reason: 'node_modules is missing' };
  const lockSha256 = sha256(lockText);
  if (stamp !== undefined) {
    if (stamp.nodeAbi !== nodeAbi) {
      return {
        fresh: false,
        reason: `Node ABI changed (${stamp.nodeAbi} -> ${nodeAbi}), native modules need rebuilding`,
      };
    }
    if (stamp.lockSha256 === lockSha256) return { fresh: true, writeStamp: false };
  }
  /** @type {unknown} */
  let lock;
  try {
    lock = JSON.parse(lockText);
  } catch {
    return { fresh: false, reason: 'package-lock.json is not valid JSON' };
  }
  if (hiddenLock !== undefined && lockfilesMatch(lock, hiddenLock)) return { fresh: true, writeStamp: true };
  return {
    fresh: false,
    reason:
      stamp === undefined
        ? 'node_modules does not match package-lock.json'
        : 'package-lock.json changed since the last npm ci',
  };
}

/**
 * @param {string} path
 * @returns {unknown} undefined when missing or not JSON
 */
function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * @param {string} root project root (holds package-lock.json)
 */
export function ensureNpmDependencies(root) {
  const nodeModules = join(root, 'node_modules');
  const stampPath = join(nodeModules, STAMP_NAME);
  const lockText = readFileSync(join(root, 'package-lock.json'), 'utf8');
  const nodeAbi = process.versions.modules;
  const state = decideNpm({
    hasNodeModules: existsSync(nodeModules),
    lockText,
    nodeAbi,
    stamp: existsSync(stampPath) ? /** @type {Stamp | undefined} */ (readJson(stampPath)) : undefined,
    hiddenLock: readJson(join(nodeModules, '.package-lock.json')),
  });
  /** @type {Stamp} */
  const stamp = { lockSha256: sha256(lockText), nodeAbi };
  if (state.fresh) {
    if (state.writeStamp) writeFileSync(stampPath, `${JSON.stringify(stamp)}\n`);
    return;
  }
  say(`${state.reason}: running npm ci`);
  const npmCi = () =>
    run(STEP, ['npm', 'ci', '--no-audit', '--no-fund'], { cwd: root, env: buildEnv(process.env, process.execPath) });
  try {
    npmCi();
  } catch (error) {
    // Seen once on a clean clone: a registry fetch of esbuild's optional native package failed,
    // and esbuild's fallback download then hit ETXTBSY. npm ci starts from an empty node_modules,
    // so a second run is a clean retry.
    if (!(error instanceof BootstrapError)) throw error;
    say(`npm ci failed (${error.message.split('\n').at(-1)?.trim()}); running it once more`);
    npmCi();
  }
  writeFileSync(stampPath, `${JSON.stringify(stamp)}\n`);
}
