// Opens a page served over HTTP in Debian's headless Chromium (playwright-core, no browser
// download) and keeps what a reader would meet while it stays open: console errors, page errors,
// and every request that went anywhere but the page's own server (each is aborted).
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM } from './browser.ts';

export interface LivePage {
  page: Page;
  consoleErrors: string[];
  pageErrors: string[];
  foreignRequests: string[];
  close(): Promise<void>;
}

export async function openLivePage(url: string): Promise<LivePage> {
  const origin = new URL(url).origin;
  // As root, Chromium refuses to start with its sandbox.
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const facts: LivePage = { page, consoleErrors: [], pageErrors: [], foreignRequests: [], close: () => browser.close() };
  page.on('console', (message) => {
    if (message.type() === 'error') facts.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => facts.pageErrors.push(error.message));
  await page.route('**/*', async (route) => {
    const requested = route.request().url();
    if (requested.startsWith(`${origin}/`)) return route.continue();
    facts.foreignRequests.push(requested);
    return route.abort();
  });
  await page.goto(url, { waitUntil: 'load' });
  return facts;
}
