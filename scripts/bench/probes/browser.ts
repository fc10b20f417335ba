// The bench's browser viewer: headless Chromium in the variant's client namespace opens the
// server's dashboard page and plays the mount over WHEP with the page's own player
// (web/whep-player.js), then reads what the browser decoded once a second (../../lib/whep-page.ts),
// until stopped.
import type { Browser, Page } from 'playwright-core';
import { setTimeout as sleep } from 'node:timers/promises';
import { launchChromium } from '../../lib/chromium.ts';
import { playInPage, sampleInPage, type ReceiverSample } from '../../lib/whep-page.ts';

const SAMPLE_EVERY_MS = 1_000;
/** As long as the bench waits for its streams (warm-up.ts): a first frame later than that is a failure. */
const FIRST_FRAME_TIMEOUT_MS = 30_000;
/** How long a stop waits for a sample or a first frame in flight before closing the browser. */
const STOP_GRACE_MS = 5_000;

export interface BrowserStop {
  samples: ReceiverSample[];
  /** From just before whepPlay to the first decoded frame, ms; undefined when none came. */
  firstFrameMs: number | undefined;
  /** What went wrong (the launch, the page, the WHEP exchange), and the page's console errors. */
  problems: string[];
}

export interface BrowserViewer {
  /** Settles when the browser decoded its first frame or gave up (stop() says why). */
  firstFrame: Promise<void>;
  /** Takes a last sample and closes the browser. */
  stop(): Promise<BrowserStop>;
}

/** The page's name for the bench's one session. */
const SESSION = 'viewer';

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** `pageUrl`: the server's dashboard, as the client namespace reaches it; `mount`: e.g. video2. */
export function startBrowserViewer(netns: string, pageUrl: string, mount: string): BrowserViewer {
  const samples: ReceiverSample[] = [];
  const problems: string[] = [];
  const stopping = new AbortController();
  let browser: Browser | undefined;
  let page: Page | undefined;
  let firstFrameMs: number | undefined;
  let firstFrameCame = (): void => undefined;
  const firstFrame = new Promise<void>((resolve) => (firstFrameCame = resolve));

  const playing = (async () => {
    browser = await launchChromium({ netns });
    page = await browser.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page: ${error.message}`));
    await page.goto(pageUrl, { waitUntil: 'load' });
    firstFrameMs = await page.evaluate(playInPage, {
      name: SESSION,
      endpoint: `/whep/${mount}`,
      timeoutMs: FIRST_FRAME_TIMEOUT_MS,
    });
    firstFrameCame();
    while (!stopping.signal.aborted) {
      const startedMs = Date.now();
      samples.push(await page.evaluate(sampleInPage, SESSION));
      await sleep(SAMPLE_EVERY_MS - (Date.now() - startedMs), undefined, { signal: stopping.signal }).catch(
        () => undefined,
      );
    }
  })()
    .catch((error: unknown) => {
      if (!stopping.signal.aborted) problems.push(`${pageUrl} ${mount}: ${messageOf(error)}`);
    })
    .finally(firstFrameCame);

  return {
    firstFrame,
    stop: async () => {
      stopping.abort();
      await Promise.race([playing, sleep(STOP_GRACE_MS)]);
      if (firstFrameMs === undefined) problems.push('stopped before its first frame');
      // The last reading: every frame that crossed the link by the stop.
      if (firstFrameMs !== undefined && page !== undefined) {
        try {
          samples.push(await page.evaluate(sampleInPage, SESSION));
        } catch (error) {
          problems.push(`the last sample: ${messageOf(error)}`);
        }
      }
      await browser?.close();
      return { samples, firstFrameMs, problems };
    },
  };
}
