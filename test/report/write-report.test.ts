// writeReport on small run dirs: every chart's three files, valid PNGs, one self-contained page.
import assert from 'node:assert/strict';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NO_VIEWERS_NOTE } from '../../src/report/html.ts';
import { writeReport, type ReportResult } from '../../src/report/write-report.ts';
import { PROBE_RESULTS_FILE, writeProbeResults, type ProbeResult } from '../../src/report/probe-results.ts';
import { HEADER, ndjson, runDir, SUMMARY, watchedRecords } from './fixtures.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngSize(png: Buffer): { width: number; height: number } {
  assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE, 'PNG signature');
  assert.equal(png.toString('latin1', 12, 16), 'IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('writeReport', () => {
  let dir: string;
  let result: ReportResult;
  let html: string;

  before(async () => {
    dir = await runDir(ndjson(watchedRecords()), SUMMARY);
    result = await writeReport(dir);
    html = await readFile(result.htmlPath, 'utf8');
  });
  after(() => rm(dirname(dir), { recursive: true }));

  it('writes every chart as PNG, SVG and Vega-Lite spec under its id', async () => {
    assert.equal(result.charts.length, 13);
    for (const chart of result.charts) {
      assert.equal(chart.pngPath, join(dir, `${chart.id}.png`));
      const { width, height } = pngSize(await readFile(chart.pngPath));
      assert.ok(width >= 640 && height >= 320, `${chart.id}: ${width}x${height}`);
      assert.match(await readFile(chart.svgPath, 'utf8'), /^<svg/);
      assert.ok((await stat(chart.vlJsonPath)).size > 0);
      JSON.parse(await readFile(chart.vlJsonPath, 'utf8'));
    }
    assert.equal(result.skippedLines, 0);
    assert.equal(result.viewers, 2);
  });

  it('puts every chart in report.html as a figure with an inline SVG and a caption', () => {
    assert.equal(result.htmlPath, join(dir, 'report.html'));
    for (const chart of result.charts) {
      const at = html.indexOf(`<figure class="chart" data-chart="${chart.id}"`);
      assert.ok(at >= 0, chart.id);
      const figure = html.slice(at, html.indexOf('</figure>', at));
      assert.match(figure, /<svg/);
      assert.match(figure, /<figcaption>/);
    }
  });

  it('holds the summary table and the run facts', () => {
    assert.match(html, /<section class="summary">/);
    assert.match(
      html,
      /<td class="text">video1<\/td><td class="text">static<\/td><td class="text">videos\/a\.mp4<\/td><td>3<\/td><td>3\.00<\/td><td>4\.00<\/td>/,
    );
    assert.match(
      html,
      /<td class="text">client:1<\/td><td class="text">-<\/td><td class="text">127\.0\.0\.1<\/td><td class="text">udp<\/td><td class="text">rr 5\.0 s<\/td><td>2<\/td><td>5\.00<\/td><td>5\.00<\/td><td>12\.50<\/td><td>1<\/td>/,
    );
    assert.match(html, /cleanly/);
    assert.ok(!html.includes(NO_VIEWERS_NOTE));
  });

  it('fetches nothing: no URL but the SVG namespaces, no script', () => {
    const urls = html.match(/https?:\/\/[^\s"'<>)]+/g) ?? [];
    assert.deepEqual(
      [...new Set(urls)].filter((url) => !url.startsWith('http://www.w3.org/')),
      [],
    );
    for (const match of html.matchAll(/https?:\/\//g)) {
      const before = html.slice(Math.max(0, match.index - 16), match.index);
      assert.match(
        before,
        /xmlns(:xlink)?="$/,
        `URL outside an xmlns attribute: ${html.slice(match.index - 16, match.index + 40)}`,
      );
    }
    assert.doesNotMatch(html, /<script|<link |src=/);
  });
});

describe('writeReport on a run nobody watched that crashed', () => {
  it('says there were no viewers, that summary.json is missing, and counts the cut line', async () => {
    const dir = await runDir(
      ndjson([HEADER, { type: 'state', stream: 'video1', t_ms: 5, state: 'running' }]) + '{"type":"sta',
    );
    const result = await writeReport(dir);
    const html = await readFile(result.htmlPath, 'utf8');
    assert.equal(result.viewers, 0);
    assert.equal(result.skippedLines, 1);
    assert.ok(html.includes(NO_VIEWERS_NOTE));
    assert.match(html, /summary\.json is missing/);
    assert.match(html, /without an end record/);
    assert.equal((html.match(/<figure class="chart"/g) ?? []).length, result.charts.length);
    await rm(dirname(dir), { recursive: true });
  });

  it('names the path when the run dir is missing', async () => {
    await assert.rejects(writeReport('/nonexistent/run-dir'), /no run directory at \/nonexistent\/run-dir/);
  });
});

describe('writeReport with probes.json', () => {
  it('shows what probing viewers saw, escaped; a probes.json that is not a list of results, or not JSON, is named in the report, which is written without it', async () => {
    const dir = await runDir(ndjson(watchedRecords()), SUMMARY);
    try {
      const probe: ProbeResult = {
        name: 'dynamic <rtspsrc>',
        mount: 'video2',
        client: 'rtspsrc',
        transport: 'udp',
        frames_decoded: 2871,
        frames_unique_pct: 95.6,
        e2e_delay_p50_ms: 137.3,
        e2e_delay_p95_ms: 1848.9,
        stall_count: 12,
        stall_s: 2.587,
        ssim_mean: 0.9793,
        psnr_mean_db: 41.01,
      };
      writeProbeResults(dir, [probe]);
      const html = await readFile((await writeReport(dir)).htmlPath, 'utf8');
      assert.match(html, /What probing viewers saw/);
      assert.match(
        html,
        /<td class="text">dynamic &lt;rtspsrc&gt;<\/td><td class="text">video2<\/td><td class="text">rtspsrc<\/td><td class="text">udp<\/td><td>2871<\/td><td>95.6<\/td><td>137.3<\/td><td>1848.9<\/td><td>12<\/td><td>2.59<\/td><td>0.9793<\/td><td>41.01<\/td>/,
      );
      for (const [content, problem] of [
        ['{"not": "a list"}', /probes\.json: not a list of probe results/],
        ['[{"name": "cut', /probes\.json: not JSON/],
      ] as const) {
        await writeFile(join(dir, PROBE_RESULTS_FILE), content);
        const result = await writeReport(dir);
        assert.match(result.warnings.join('\n'), problem);
        const page = await readFile(result.htmlPath, 'utf8');
        assert.match(page, problem, 'the report names the file and why');
        assert.doesNotMatch(page, /What probing viewers saw \(/, 'no probe table');
        assert.match(page, /<h2>Charts<\/h2>/, 'the rest of the report is written');
      }
    } finally {
      await rm(dirname(dir), { recursive: true });
    }
  });
});
