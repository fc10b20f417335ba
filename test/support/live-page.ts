// Opens a page served over HTTP in Debian's headless Chromium (playwright-core, no browser
// download) and keeps what a reader would meet while it stays open: console errors, page errors,
// and every request that went anywhere but the page's own server (each is aborted).
import type { Page } from 'playwright-core';
import { launchChromium } from '../../scripts/lib/chromium.ts';
import { watchPage, type PageWatch } from './browser.ts';

export interface LivePage extends PageWatch {
  page: Page;
  close(): Promise<void>;
}

export interface PageOptions {
  /** The window's width in CSS pixels. */
  width?: number;
  /** Runs in the page before its own scripts: a test's instruments. */
  initScript?: () => void;
  /** Sent with every request of the page, its own fetches included (a server's --auth). */
  headers?: Record<string, string>;
}

export async function openLivePage(url: string, options: PageOptions = {}): Promise<LivePage> {
  const origin = new URL(url).origin;
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: options.width ?? 1400, height: 1000 } });
  if (options.initScript) await page.addInitScript(options.initScript);
  if (options.headers) await page.setExtraHTTPHeaders(options.headers);
  const facts: LivePage = {
    page,
    ...(await watchPage(page, (requested) => requested.startsWith(`${origin}/`))),
    close: () => browser.close(),
  };
  await page.goto(url, { waitUntil: 'load' });
  return facts;
}
