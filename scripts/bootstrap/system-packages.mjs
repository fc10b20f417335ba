// Step 1: Debian packages. Decides from dpkg's database what is missing, then installs it with
// apt-get when we are root, or prints the exact command and fails when we are not.

import { readdirSync } from 'node:fs';
import { missingPackages, readInstalledPackages } from './dpkg.mjs';
import { requiredPackages } from './packages.mjs';
import { BootstrapError, formatCommand, run, say } from './run.mjs';

const STEP = 'system packages';
const APT_LISTS = '/var/lib/apt/lists';

/**
 * @typedef {{ action: 'none' }
 *   | { action: 'install', missing: string[], updateFirst: boolean, install: string[], update: string[] }
 *   | { action: 'ask-root', missing: string[], command: string }} Plan
 */

/**
 * Pure: what to do about the missing packages.
 * @param {{ missing: readonly string[], isRoot: boolean, listsEmpty: boolean }} facts
 * @returns {Plan}
 */
export function planSystemPackages({ missing, isRoot, listsEmpty }) {
  if (missing.length === 0) return { action: 'none' };
  const install = ['apt-get', 'install', '-y', '--no-install-recommends', ...missing];
  if (!isRoot) {
    return {
      action: 'ask-root',
      missing: [...missing],
      command: `sudo apt-get update && sudo ${formatCommand(install)}`,
    };
  }
  return { action: 'install', missing: [...missing], updateFirst: listsEmpty, install, update: ['apt-get', 'update'] };
}

/** True when apt has no package lists yet (fresh container): install would find nothing. */
export function aptListsEmpty(dir = APT_LISTS) {
  try {
    return !readdirSync(dir).some((name) => name.includes('_Packages'));
  } catch {
    return true;
  }
}

/**
 * @param {import('./packages.mjs').Target} target
 */
export function ensureSystemPackages(target) {
  const installed = readInstalledPackages();
  if (installed === undefined) {
    say('no dpkg database (/var/lib/dpkg/status): not Debian, so system packages are not checked;');
    say(`  make sure these (or their equivalents) are installed: ${requiredPackages(target).join(' ')}`);
    return;
  }
  const plan = planSystemPackages({
    missing: missingPackages(requiredPackages(target), installed),
    isRoot: process.getuid?.() === 0,
    listsEmpty: aptListsEmpty(),
  });
  if (plan.action === 'none') return;
  if (plan.action === 'ask-root') {
    throw new BootstrapError({
      step: STEP,
      detail: `missing Debian packages: ${plan.missing.join(' ')}\n  install them as root, then run again:\n    ${plan.command}`,
    });
  }
  say(`installing missing Debian packages: ${plan.missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (plan.updateFirst) {
    run(STEP, plan.update, { env });
    run(STEP, plan.install, { env });
    return;
  }
  try {
    run(STEP, plan.install, { env });
  } catch (error) {
    // Stale lists (a package version that the mirror no longer has) fail the install: refresh once.
    say(`${/** @type {Error} */ (error).message.split('\n')[0]}; running apt-get update and retrying`);
    run(STEP, plan.update, { env });
    run(STEP, plan.install, { env });
  }
}
