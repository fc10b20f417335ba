// Opens a local HTML file in Debian's headless Chromium (playwright-core with executablePath: no
// browser download) and reports what a reader would meet: console errors, page errors, requests
// that left the file, the charts shown, and a screenshot.
import type { Page } from 'playwright-core';
import { launchChromium } from '../../scripts/lib/chromium.ts';

/** What a reader met; `foreignRequests`: URLs the page tried to load that are not the file itself or inline data. */
export interface PageFacts extends PageWatch {
  /** `data-chart` of every figure that holds a rendered, visible SVG. */
  visibleCharts: string[];
  /** Every `data-chart` in the page. */
  charts: string[];
  title: string;
  text: string;
}

export async function inspectPage(htmlPath: string, screenshotPath: string): Promise<PageFacts> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const watched = await watchPage(page, (url) => url.startsWith('file://') || url.startsWith('data:'));
    const facts: PageFacts = { ...watched, visibleCharts: [], charts: [], title: '', text: '' };
    await page.goto(`file://${htmlPath}`, { waitUntil: 'load' });
    facts.title = await page.title();
    facts.text = await page.innerText('body');
    facts.charts = await page.$$eval('figure[data-chart]', (figures) =>
      figures.map((figure) => figure.getAttribute('data-chart') ?? ''),
    );
    facts.visibleCharts = await page.$$eval('figure[data-chart]', (figures) =>
      figures.flatMap((figure) => {
        const svg = figure.querySelector('svg');
        const box = svg?.getBoundingClientRect();
        return box && box.width > 100 && box.height > 50 ? [figure.getAttribute('data-chart') ?? ''] : [];
      }),
    );
    await page.screenshot({ path: screenshotPath, fullPage: true });
    return facts;
  } finally {
    await browser.close();
  }
}

export interface PageWatch {
  consoleErrors: string[];
  pageErrors: string[];
  /** Requests for URLs that are not the page's own (each aborted). */
  foreignRequests: string[];
}

/** From now on, keeps the page's console errors and page errors, and aborts and keeps every request `isOwn` refuses. */
export async function watchPage(page: Page, isOwn: (url: string) => boolean): Promise<PageWatch> {
  const watch: PageWatch = { consoleErrors: [], pageErrors: [], foreignRequests: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') watch.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => watch.pageErrors.push(error.message));
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    if (isOwn(url)) return route.continue();
    watch.foreignRequests.push(url);
    return route.abort();
  });
  return watch;
}
