// The live dashboard in a real browser against a real server, in an 800-px-wide window. Opened
// 10 s into a run, it starts from the server's history; a new viewer shows up within 2 s of it
// starting to play; every cell of the tables is the API's figure (read off the very event the page
// drew), each encoder's target is a line; a departed viewer's figures are gone, not kept. Then a
// stream's name opens the page's player: its picture plays, with this browser's frames decoded
// rising, its bitrate and RTT; the server lists the browser as a WebRTC viewer, whose encoder the
// bitrate chart draws, until the player closes, and again until the page is left. Nothing fails in
// the page and no request leaves the server. The screenshot (test-artifacts/dashboard.png), taken
// before the player opens, is the one the README and docs/http.md show (docs/dashboard.png).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import type { Page } from 'playwright-core';
import type { StreamJson, StreamsJson, ViewerJson } from '../../src/http/api-json.ts';
import { REPO_ROOT, startServer } from '../../scripts/lib/server.ts';
import { makeClip } from '../support/clips.ts';
import { openLivePage } from '../support/live-page.ts';
import { portsOf } from '../support/ports.ts';

const PORTS = portsOf(import.meta.url);
const PORT = PORTS.at(0);
const HTTP = PORTS.at(50);
const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');
const WIDTH = 800;

/** Runs in the page before its scripts: keeps the latest `streams` event the page received. */
function recordStreamsEvents(): void {
  const Original = window.EventSource;
  window.EventSource = class extends Original {
    constructor(url: string | URL, init?: EventSourceInit) {
      super(url, init);
      this.addEventListener('streams', (event) => {
        (window as unknown as { lastStreams: string }).lastStreams = (event as MessageEvent<string>).data;
      });
    }
  };
}

function rtspsrcViewer(mount: string) {
  return execa(
    'gst-launch-1.0',
    [
      ...['-v', 'rtspsrc', `location=rtsp://127.0.0.1:${PORT}/${mount}`, 'protocols=udp', '!', 'rtph264depay'],
      ...['!', 'avdec_h264', '!', 'fakesink', 'silent=false', 'sync=false'],
    ],
    { reject: false },
  );
}

/** The page's table rows and the snapshot they were drawn from, read at one instant. */
async function tablesAndSnapshot(page: Page): Promise<{ rows: string[][]; snapshot: StreamsJson }> {
  const { rows, data } = await page.evaluate(() => ({
    rows: [...document.querySelectorAll('#streams tbody tr')].map((row) =>
      [...(row as HTMLTableRowElement).cells].map((cell) => cell.textContent ?? ''),
    ),
    data: (window as unknown as { lastStreams: string }).lastStreams,
  }));
  return { rows, snapshot: JSON.parse(data) as StreamsJson };
}

/** What the page must show for a stream's figures, from the API's fields alone. */
function expectedCells(stream: StreamJson): Record<string, string> {
  const range = (list: number[]) =>
    list.length === 0
      ? '-'
      : Math.min(...list) === Math.max(...list)
        ? String(list[0])
        : `${Math.min(...list)}..${Math.max(...list)}`;
  const fromViewers = (value: number | null) =>
    stream.viewers === 0 ? '-' : value === null ? 'unknown' : value.toFixed(1);
  return {
    viewers: String(stream.viewers),
    target: range(stream.targets_kbps),
    encoder: range(stream.applied_kbps),
    rtt: fromViewers(stream.rtt_ms),
    loss: fromViewers(stream.loss_pct),
  };
}

const COLUMNS = { viewers: 3, target: 4, encoder: 5, rtt: 9, loss: 10 } as const;

function assertTablesShow(rows: string[][], snapshot: StreamsJson): void {
  assert.equal(rows.length, snapshot.streams.length);
  snapshot.streams.forEach((stream, index) => {
    const row = rows[index]!;
    assert.equal(row[0], stream.name);
    for (const [column, text] of Object.entries(expectedCells(stream)))
      assert.equal(row[COLUMNS[column as keyof typeof COLUMNS]], text, `${stream.name} ${column}`);
  });
}

/** The player's figures as the page shows them: `kbps`, `rtt`, `frames`, `lost`, `size`. */
function playerFigures(page: Page): Promise<Record<string, string>> {
  return page.$$eval('#player [data-figure]', (shown) =>
    Object.fromEntries(shown.map((element) => [element.getAttribute('data-figure'), element.textContent ?? ''])),
  );
}

/** Opens the player from the stream's row; resolves once it shows a frame decoded. */
async function watch(page: Page, name: string): Promise<void> {
  await page.click(`#streams button[data-watch="${name}"]`);
  await page.waitForFunction(
    () => Number(document.querySelector('#player [data-figure="frames"]')?.textContent) > 0,
    null,
    { timeout: 10_000 },
  );
}

async function webrtcViewers(name: string): Promise<ViewerJson[]> {
  const { streams } = (await (await fetch(`http://127.0.0.1:${HTTP}/api/v1/streams`)).json()) as StreamsJson;
  return streams.find((stream) => stream.name === name)!.viewer_list.filter((viewer) => viewer.transport === 'webrtc');
}

/** Resolves once the API lists no WebRTC viewer of `name`, with how long that took. */
async function webrtcViewersGone(name: string, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while ((await webrtcViewers(name)).length > 0) {
    assert.ok(Date.now() - started < timeoutMs, `${name} still has a WebRTC viewer after ${timeoutMs} ms`);
    await sleep(200);
  }
  return Date.now() - started;
}

describe('dashboard', () => {
  it(
    'starts from the history, shows what the API sends, fits 800 px, forgets departed viewers, plays a stream in its player',
    { timeout: 150_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'dashboard-'));
      const clip = join(dir, 'ball.mp4');
      await makeClip({ path: clip, seconds: 4, pattern: 'ball', width: 640, height: 480, fps: 30 });
      const server = startServer([
        ...['--videos', clip, '--port', String(PORT), '--http', String(HTTP)],
        ...['--out', join(dir, 'out'), '--duration', '90'],
      ]);
      await server.waitForOutput(new RegExp(`dashboard on http://127\\.0\\.0\\.1:${HTTP}/`), 60_000);
      const early = rtspsrcViewer('video2');
      await sleep(10_000);
      const live = await openLivePage(`http://127.0.0.1:${HTTP}/`, { width: WIDTH, initScript: recordStreamsEvents });
      let late: ReturnType<typeof rtspsrcViewer> | undefined;
      try {
        await live.page.waitForSelector('#connection[data-state="open"]', { timeout: 10_000 });
        await live.page.waitForSelector('figure[data-chart="frames"][data-first-t]', { timeout: 10_000 });
        const { snapshot: opened } = await tablesAndSnapshot(live.page);
        const firstT = Number(
          await live.page.$eval('figure[data-chart="frames"]', (figure) => figure.getAttribute('data-first-t')),
        );
        console.log(`dashboard: opened at t=${opened.t_s} s, its frames chart starts at t=${firstT} s`);
        assert.ok(firstT <= opened.t_s - 8, `the chart starts at ${firstT} s, the page opened at ${opened.t_s} s`);

        late = rtspsrcViewer('video1');
        const firstFrame = new Promise<number>((resolve) => {
          late!.stdout?.on('data', function onData(chunk: Buffer) {
            if (!chunk.toString().includes('last-message = chain')) return;
            late!.stdout?.off('data', onData);
            resolve(Date.now());
          });
        });
        await live.page.waitForSelector('#viewers tr[data-viewer^="video1 "]', { timeout: 15_000 });
        const shownAt = Date.now();
        const lagMs = shownAt - (await firstFrame);
        console.log(`dashboard: viewer shown ${lagMs} ms after its first decoded frame`);
        assert.ok(lagMs <= 2_000, `the viewer appeared ${lagMs} ms after it started to play`);

        await sleep(3_000);
        const { rows, snapshot } = await tablesAndSnapshot(live.page);
        assertTablesShow(rows, snapshot);
        const dynamic = snapshot.streams.find((stream) => stream.name === 'video2')!;
        assert.ok(dynamic.targets_kbps.length === 1 && dynamic.targets_kbps[0]! >= 300, JSON.stringify(dynamic));
        assert.match(
          await live.page.innerText('#viewers tbody'),
          /video2\s+client:\d+ GStreamer\s+127\.0\.0\.1\s+udp\s+twcc/,
        );
        assert.match(dynamic.viewer_list[0]!.client!, /^GStreamer\/1\.22/, 'the User-Agent rtspsrc sent');
        const encoder = dynamic.viewer_list[0]!.encoder;
        const legend = await live.page.$eval('figure[data-chart="bitrate"] svg', (svg) => svg.textContent ?? '');
        for (const label of [`video2 #${encoder}`, 'target', 'sent']) assert.ok(legend.includes(label), label);
        const widths = await live.page.evaluate(() => [
          document.documentElement.scrollWidth,
          ...[...document.querySelectorAll('.scroll')].map((box) => box.scrollWidth - box.clientWidth),
        ]);
        assert.ok(widths[0]! <= WIDTH, `the page is ${widths[0]} px wide in an ${WIDTH}-px window`);
        assert.deepEqual(widths.slice(1), [0, 0], 'both tables fit without scrolling');
        mkdirSync(ARTIFACTS, { recursive: true });
        await live.page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });

        early.kill('SIGINT');
        await early;
        await live.page.waitForFunction(() => !document.querySelector('#viewers tr[data-viewer^="video2 "]'), null, {
          timeout: 15_000,
        });
        await sleep(1_500);
        const after = await tablesAndSnapshot(live.page);
        assertTablesShow(after.rows, after.snapshot);
        const gone = after.snapshot.streams.find((stream) => stream.name === 'video2')!;
        assert.deepEqual(
          [gone.viewers, gone.rtt_ms, gone.loss_pct],
          [0, null, null],
          'no figures kept from the viewer',
        );

        const playerStarted = Date.now();
        await watch(live.page, 'video2');
        await live.page.waitForSelector('#player[data-stream="video2"]');
        await live.page.waitForSelector('#streams button[data-watch="video2"][aria-current="true"]');
        const first = await playerFigures(live.page);
        await sleep(2_000);
        const second = await playerFigures(live.page);
        const video = await live.page.$eval('#player video', (element: HTMLVideoElement) => ({
          frames: element.getVideoPlaybackQuality().totalVideoFrames,
          size: `${element.videoWidth}x${element.videoHeight}`,
          paused: element.paused,
        }));
        const [browser] = await webrtcViewers('video2');
        const facts = JSON.stringify({ first, second, video, browser });
        console.log(`dashboard: the player ${facts}`);
        assert.ok(Number(second.frames) > Number(first.frames), `frames decoded rise: ${facts}`);
        assert.ok(/^\d+$/.test(second.kbps!) && Number(second.kbps) > 0, `a bitrate received: ${facts}`);
        assert.match(second.rtt!, /^\d+\.\d$/, `an RTT: ${facts}`);
        assert.equal(second.size, '640x480', facts);
        assert.ok(video.frames > 0 && !video.paused && video.size === '640x480', `the picture plays: ${facts}`);
        assert.ok(browser !== undefined && browser.encoder !== null, `the server lists the browser: ${facts}`);
        await live.page.waitForFunction(
          (label) => document.querySelector('figure[data-chart="bitrate"] svg')?.textContent?.includes(label),
          `video2 #${browser.encoder}`,
          { timeout: 5_000 },
        );

        await live.page.click('#player [data-action="close"]');
        assert.ok(await live.page.$eval('#player', (player: HTMLElement) => player.hidden), 'the player closes');
        assert.equal(await live.page.$('#player video'), null);
        const closedMs = await webrtcViewersGone('video2', 5_000);
        // A second session on the same helper, of the static mount this time, shows its picture too.
        await watch(live.page, 'video1');
        await live.page.waitForFunction(
          () => document.querySelector<HTMLVideoElement>('#player video')?.videoWidth === 640,
          null,
          { timeout: 10_000 },
        );
        await live.page.goto('about:blank');
        const leftMs = await webrtcViewersGone('video1', 5_000);
        console.log(
          `dashboard: the player's viewer gone ${closedMs} ms after it closed, ${leftMs} ms after the page was left; ` +
            `the player's part took ${Date.now() - playerStarted} ms`,
        );
        assert.deepEqual(live.consoleErrors, []);
        assert.deepEqual(live.pageErrors, []);
        assert.deepEqual(live.foreignRequests, []);
      } finally {
        for (const viewer of [early, late]) viewer?.kill('SIGINT');
        await Promise.all([early, late]);
        await live.close();
        server.process.kill('SIGTERM');
        await server.process;
      }
    },
  );
});
