// Opens a local HTML file in Debian's headless Chromium (playwright-core with executablePath: no
// browser download) and reports what a reader would meet: console errors, page errors, requests
// that left the file, the charts shown, and a screenshot.
import { chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export interface PageFacts {
  consoleErrors: string[];
  pageErrors: string[];
  /** URLs the page tried to load that are not the file itself or inline data. */
  externalRequests: string[];
  /** `data-chart` of every figure that holds a rendered, visible SVG. */
  visibleCharts: string[];
  /** Every `data-chart` in the page. */
  charts: string[];
  title: string;
  text: string;
}

export async function inspectPage(htmlPath: string, screenshotPath: string): Promise<PageFacts> {
  // As root, Chromium refuses to start with its sandbox.
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const facts: PageFacts = { consoleErrors: [], pageErrors: [], externalRequests: [], visibleCharts: [], charts: [], title: '', text: '' };
    page.on('console', (message) => {
      if (message.type() === 'error') facts.consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => facts.pageErrors.push(error.message));
    await page.route('**/*', async (route) => {
      const url = route.request().url();
      if (url.startsWith('file://') || url.startsWith('data:')) return route.continue();
      facts.externalRequests.push(url);
      return route.abort();
    });
    await page.goto(`file://${htmlPath}`, { waitUntil: 'load' });
    facts.title = await page.title();
    facts.text = await page.innerText('body');
    facts.charts = await page.$$eval('figure[data-chart]', (figures) => figures.map((figure) => figure.getAttribute('data-chart') ?? ''));
    facts.visibleCharts = await page.$$eval('figure[data-chart]', (figures) => figures.flatMap((figure) => {
      const svg = figure.querySelector('svg');
      const box = svg?.getBoundingClientRect();
      return box && box.width > 100 && box.height > 50 ? [figure.getAttribute('data-chart') ?? ''] : [];
    }));
    await page.screenshot({ path: screenshotPath, fullPage: true });
    return facts;
  } finally {
    await browser.close();
  }
}
