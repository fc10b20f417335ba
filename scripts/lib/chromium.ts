// Debian's Chromium driven by playwright-core (no browser download): for the tests that open the
// report and the dashboard, and for bench:http.
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  // As root, Chromium refuses to start with its sandbox.
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}
