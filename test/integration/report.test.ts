// The report end to end: a real run with viewers leaves a complete report that opens offline in
// headless Chromium; `npm run report` rebuilds one from a run that crashed; a run nobody watched
// says so.
// run-tests: early (about 45 s)
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { REPO_ROOT, startServer } from '../../scripts/lib/server.ts';
import { inspectPage } from '../support/browser.ts';
import { makeClip } from '../support/clips.ts';
import { countFramesWithFfmpeg, playWithGstreamer } from '../support/rtsp-clients.ts';
import { readMetricsWhen, recordsOf, type MetricRecord } from '../support/metrics-file.ts';
import { portsOf } from '../support/ports.ts';

const PORTS = portsOf(import.meta.url);

const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** 4 s clips of `patterns` in `dir`, made side by side. */
async function clips(dir: string, patterns: ReadonlyArray<'ball' | 'snow'> = ['ball', 'snow']): Promise<string[]> {
  const paths = patterns.map((pattern) => join(dir, `${pattern}.mp4`));
  await Promise.all(
    patterns.map((pattern, i) => makeClip({ path: paths[i]!, seconds: 4, pattern, width: 640, height: 480, fps: 30 })),
  );
  return paths;
}

/** Every chart's spec has its SVG and a valid PNG beside it; returns the chart ids. */
function assertChartFiles(runDir: string): string[] {
  const ids = readdirSync(runDir)
    .filter((name) => name.endsWith('.vl.json'))
    .map((name) => name.slice(0, -'.vl.json'.length));
  for (const id of ids) {
    assert.match(readFileSync(join(runDir, `${id}.svg`), 'utf8'), /<svg/, `${id}.svg`);
    const png = readFileSync(join(runDir, `${id}.png`));
    assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE, `${id}.png`);
    assert.ok(
      png.readUInt32BE(16) >= 200 && png.readUInt32BE(20) >= 100,
      `${id}.png is ${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`,
    );
  }
  return ids;
}

describe('report', () => {
  it(
    'npm start -- --duration 15 with viewers leaves a complete report that opens offline in Chromium',
    { timeout: 120_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'report-e2e-'));
      const out = join(dir, 'out');
      const server = startServer([
        '--videos',
        ...(await clips(dir)),
        '--port',
        String(PORTS.at(0)),
        '--helper-ports',
        String(PORTS.at(1)),
        '--out',
        out,
        '--duration',
        '15',
      ]);
      await server.waitForOutput(/RTSP server ready/, 60_000);
      await Promise.all([
        playWithGstreamer({ url: `rtsp://127.0.0.1:${PORTS.at(0)}/video2`, seconds: 10, transport: 'udp' }),
        playWithGstreamer({ url: `rtsp://127.0.0.1:${PORTS.at(0)}/video4`, seconds: 10, transport: 'udp' }),
        countFramesWithFfmpeg({ url: `rtsp://127.0.0.1:${PORTS.at(0)}/video1`, transport: 'tcp', seconds: 8 }),
      ]);
      const result = await server.process;
      assert.equal(result.exitCode, 0, server.output());
      assert.match(server.output(), /charts and report written to .*report\.html/);

      const runDir = realpathSync(join(out, 'latest'));
      const ids = assertChartFiles(runDir);
      assert.ok(ids.length >= 12, `charts: ${ids.join(',')}`);
      mkdirSync(ARTIFACTS, { recursive: true });
      const page = await inspectPage(join(runDir, 'report.html'), join(ARTIFACTS, 'report.png'));
      assert.deepEqual(page.consoleErrors, []);
      assert.deepEqual(page.pageErrors, []);
      assert.deepEqual(page.foreignRequests, []);
      assert.deepEqual([...page.charts].sort(), [...ids].sort(), 'every chart written is in the report');
      assert.deepEqual(page.visibleCharts, page.charts, 'every chart is drawn');
      for (const stream of ['video1', 'video2', 'video3', 'video4']) assert.match(page.text, new RegExp(stream));
      assert.doesNotMatch(page.text, /^no viewers during this run/im);
    },
  );

  it(
    'npm run report rebuilds the report of a run that crashed, skipping its truncated last line',
    { timeout: 90_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'report-crash-'));
      const out = join(dir, 'out');
      const server = startServer([
        '--videos',
        (await clips(dir, ['ball']))[0]!,
        '--port',
        String(PORTS.at(10)),
        '--helper-ports',
        String(PORTS.at(11)),
        '--out',
        out,
        '--quiet',
      ]);
      await server.waitForOutput(/RTSP server ready/, 60_000);
      await playWithGstreamer({ url: `rtsp://127.0.0.1:${PORTS.at(10)}/video2`, seconds: 3, transport: 'udp' });
      // Killed once metrics.ndjson (flushed every second) holds the whole play, up to the viewer's leaving.
      const runDir = realpathSync(join(out, 'latest'));
      const viewerLeft = (records: MetricRecord[]) =>
        recordsOf(records, 'client', 'video2').some((r) => r.event === 'teardown' || r.event === 'closed');
      await readMetricsWhen(runDir, viewerLeft, 5_000);
      server.process.kill('SIGKILL');
      await server.process;
      assert.deepEqual(
        readdirSync(runDir).filter((name) => name.endsWith('.html')),
        [],
        'a killed server wrote no report',
      );
      appendFileSync(join(runDir, 'metrics.ndjson'), '{"type":"frame","stream":"video2","t_ms":99');

      const rebuilt = await execa('npm', ['run', '--silent', 'report', '--', runDir], {
        cwd: REPO_ROOT,
        reject: false,
        all: true,
      });
      assert.equal(rebuilt.exitCode, 0, rebuilt.all);
      assert.match(rebuilt.all, /1 (truncated|skipped)/i);
      const ids = assertChartFiles(runDir);
      assert.ok(ids.length >= 8, `charts: ${ids.join(',')}`);
      const html = readFileSync(join(runDir, 'report.html'), 'utf8');
      assert.match(html, /video2/);
      assert.doesNotMatch(html, /<p class="note">No viewers/);
    },
  );

  it('a run nobody watched says so in its report', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-empty-'));
    const out = join(dir, 'out');
    const server = startServer([
      '--videos',
      (await clips(dir, ['ball']))[0]!,
      '--port',
      String(PORTS.at(20)),
      '--helper-ports',
      String(PORTS.at(21)),
      '--out',
      out,
      '--quiet',
      '--duration',
      '3',
    ]);
    const result = await server.process;
    assert.equal(result.exitCode, 0, server.output());
    const runDir = realpathSync(join(out, 'latest'));
    assertChartFiles(runDir);
    assert.match(readFileSync(join(runDir, 'report.html'), 'utf8'), /<p class="note">No viewers during this run/);
  });
});
