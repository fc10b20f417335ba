// Step 3: native/ (rtsp-helper and probe-reader). make's own timestamps decide: `make -q` (silent, exit 0 when up
// to date) first, so the fast path prints nothing; a real build shows the compiler's output.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BootstrapError, ask, run, say } from './run.mjs';

const STEP = 'native build';

/**
 * @param {string} root project root (holds native/)
 */
export function ensureNativeBuild(root) {
  if (!existsSync(join(root, 'native', 'Makefile'))) {
    throw new BootstrapError({ step: STEP, detail: `${join(root, 'native', 'Makefile')} does not exist` });
  }
  const question = ask(['make', '-q', '-C', 'native'], { cwd: root });
  if (question.error) {
    throw new BootstrapError({
      step: STEP,
      command: 'make -q -C native',
      detail: `could not start make: ${question.error.message}`,
    });
  }
  if (question.status === 0) return;
  say('building native/ (make -s -C native)');
  run(STEP, ['make', '-s', '-C', 'native'], { cwd: root });
}
