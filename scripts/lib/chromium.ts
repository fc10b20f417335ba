// Debian's Chromium driven by playwright-core (no browser download): for the tests that open the
// report and the dashboard, for bench:http and bench:webrtc, and as the bench's browser viewer.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export interface ChromiumOptions {
  /** Run the browser inside this network namespace (`ip netns exec`, which needs root). */
  netns?: string;
}

/**
 * Playwright starts the executable it is given and drives it over a pipe (file descriptors 3 and
 * 4), so a namespace is entered by a wrapper script that execs `ip netns exec NS chromium` with
 * the same arguments: the pipe passes through the exec. (A --remote-debugging-port would listen
 * inside the namespace, where this process cannot reach it.)
 */
export async function launchChromium(options: ChromiumOptions = {}): Promise<Browser> {
  // As root, Chromium refuses to start with its sandbox.
  const launch = (executablePath: string) => chromium.launch({ executablePath, args: ['--no-sandbox'] });
  if (options.netns === undefined) return launch(CHROMIUM);
  if (!/^[A-Za-z0-9_.-]+$/.test(options.netns))
    throw new TypeError(`launchChromium: netns must be a plain namespace name, got ${JSON.stringify(options.netns)}`);
  const dir = mkdtempSync(join(tmpdir(), 'chromium-netns-'));
  const wrapper = join(dir, 'chromium');
  writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${options.netns} ${CHROMIUM} "$@"\n`, { mode: 0o755 });
  try {
    return await launch(wrapper);
  } finally {
    // The shell has exec'd the browser by the time the launch settles: the script is no longer needed.
    rmSync(dir, { recursive: true, force: true });
  }
}
