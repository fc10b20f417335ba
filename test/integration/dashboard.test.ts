// The live dashboard in a real browser against a real server: a viewer shows up within 2 s of it
// starting to play, the charts' data grow while it plays, nothing fails in the page and no request
// leaves the server. The screenshot (test-artifacts/dashboard.png) is the one the README and
// docs/http.md show (docs/dashboard.png).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import type { Page } from 'playwright-core';
import { REPO_ROOT, startServer } from '../../scripts/lib/server.ts';
import { makeClip } from '../support/clips.ts';
import { openLivePage } from '../support/live-page.ts';
import { portsOf } from '../support/ports.ts';

const PORTS = portsOf(import.meta.url);
const PORT = PORTS.at(0);
const HTTP = PORTS.at(50);
const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');

const pointsOf = (page: Page, chart: string): Promise<number> =>
  page.$eval(`figure[data-chart="${chart}"]`, (figure) => Number(figure.getAttribute('data-points')));

describe('dashboard', () => {
  it(
    'shows a viewer within 2 s of it starting to play, its charts grow, no console error, no request leaves the server',
    { timeout: 120_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'dashboard-'));
      const clip = join(dir, 'ball.mp4');
      await makeClip({ path: clip, seconds: 4, pattern: 'ball', width: 640, height: 480, fps: 30 });
      const server = startServer([
        '--videos',
        clip,
        '--port',
        String(PORT),
        '--http',
        String(HTTP),
        '--out',
        join(dir, 'out'),
        '--duration',
        '40',
      ]);
      await server.waitForOutput(new RegExp(`dashboard on http://127\\.0\\.0\\.1:${HTTP}/`), 60_000);
      const live = await openLivePage(`http://127.0.0.1:${HTTP}/`);
      const viewer = execa(
        'gst-launch-1.0',
        [
          '-v',
          'rtspsrc',
          `location=rtsp://127.0.0.1:${PORT}/video2`,
          'protocols=udp',
          '!',
          'rtph264depay',
          '!',
          'avdec_h264',
          '!',
          'fakesink',
          'silent=false',
          'sync=false',
        ],
        { reject: false },
      );
      try {
        await live.page.waitForSelector('#connection[data-state="open"]', { timeout: 10_000 });
        assert.equal(await live.page.$$eval('#streams tbody tr', (rows) => rows.length), 2);
        const firstFrame = new Promise<number>((resolve) => {
          viewer.stdout?.on('data', function onData(chunk: Buffer) {
            if (!chunk.toString().includes('last-message = chain')) return;
            viewer.stdout?.off('data', onData);
            resolve(Date.now());
          });
        });
        await live.page.waitForSelector('#viewers tr[data-viewer^="video2 "]', { timeout: 15_000 });
        const shownAt = Date.now();
        const playingAt = await firstFrame;
        const lagMs = shownAt - playingAt;
        console.log(`dashboard: viewer shown ${lagMs} ms after its first decoded frame`);
        assert.ok(lagMs <= 2_000, `the viewer appeared ${lagMs} ms after it started to play`);

        await sleep(2_000);
        const before = {
          bitrate: await pointsOf(live.page, 'bitrate'),
          rtt: await pointsOf(live.page, 'rtt'),
          frames: await pointsOf(live.page, 'frames'),
        };
        await sleep(4_000);
        const after = {
          bitrate: await pointsOf(live.page, 'bitrate'),
          rtt: await pointsOf(live.page, 'rtt'),
          frames: await pointsOf(live.page, 'frames'),
        };
        console.log(`dashboard: chart points ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
        for (const chart of ['bitrate', 'rtt', 'frames'] as const)
          assert.ok(after[chart] > before[chart] && before[chart] > 0, `${chart}: ${before[chart]} -> ${after[chart]}`);
        assert.match(await live.page.innerText('#viewers tbody'), /video2\s+client:\d+\s+127\.0\.0\.1\s+udp\s+twcc/);
        assert.equal(
          await live.page.$$eval(
            'figure[data-chart] svg',
            (svgs) => svgs.filter((svg) => svg.getBoundingClientRect().width > 300).length,
          ),
          4,
        );
        mkdirSync(ARTIFACTS, { recursive: true });
        await live.page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });
        assert.deepEqual(live.consoleErrors, []);
        assert.deepEqual(live.pageErrors, []);
        assert.deepEqual(live.foreignRequests, []);
      } finally {
        viewer.kill('SIGINT');
        await viewer;
        await live.close();
        server.process.kill('SIGTERM');
        await server.process;
      }
    },
  );
});
