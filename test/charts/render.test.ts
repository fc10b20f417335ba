import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TopLevelSpec } from 'vega-lite';
import { noDataSpec, withNoDataFallback } from '../../src/charts/no-data.ts';
import { renderChart } from '../../src/charts/render.ts';
import { CHART_FONT, withTheme } from '../../src/charts/theme.ts';

const WIDTH = 400;
const HEIGHT = 200;

const lineSpec: TopLevelSpec = {
  title: 'Sent bitrate',
  width: WIDTH,
  height: HEIGHT,
  data: {
    values: [
      { t: 0, kbps: 2000 },
      { t: 1, kbps: 2400 },
      { t: 2, kbps: 1800 },
      { t: 3, kbps: 3000 },
    ],
  },
  mark: 'line',
  encoding: {
    x: { field: 't', type: 'quantitative', title: 'time (s)' },
    y: { field: 'kbps', type: 'quantitative', title: 'bitrate (kbit/s)' },
  },
};

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from the IHDR chunk, which a valid PNG has first, right after the signature. */
function pngSize(png: Buffer): { width: number; height: number } {
  assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE, 'PNG signature');
  assert.equal(png.toString('latin1', 12, 16), 'IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'charts-test-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('renderChart', () => {
  it('writes the themed spec, an SVG and a PNG of the size vega reports', async () => {
    const chart = await renderChart(lineSpec, join(dir, 'nested', 'bitrate'));
    assert.equal(chart.vlJsonPath, join(dir, 'nested', 'bitrate.vl.json'));
    for (const path of [chart.vlJsonPath, chart.svgPath, chart.pngPath]) {
      assert.ok((await stat(path)).size > 0, path);
    }

    assert.deepEqual(pngSize(await readFile(chart.pngPath)), { width: chart.width, height: chart.height });
    // The plot area plus axes, title and padding.
    assert.ok(chart.width > WIDTH && chart.width < WIDTH + 150, `width ${chart.width}`);
    assert.ok(chart.height > HEIGHT && chart.height < HEIGHT + 150, `height ${chart.height}`);

    const svg = await readFile(chart.svgPath, 'utf8');
    assert.match(svg, /^<svg[\s>]/);
    assert.match(svg, /role-axis/);
    for (const text of ['time (s)', 'bitrate (kbit/s)', 'Sent bitrate', CHART_FONT])
      assert.ok(svg.includes(text), text);

    const written: unknown = JSON.parse(await readFile(chart.vlJsonPath, 'utf8'));
    assert.deepEqual(written, withTheme(lineSpec));
    assert.deepEqual(chart.warnings, []);
  });

  it("leaves the caller's data rows untouched (vega tags the rows it ingests)", async () => {
    const values = [
      { t: 0, kbps: 1 },
      { t: 1, kbps: 2 },
    ];
    await renderChart({ ...lineSpec, data: { values } }, join(dir, 'rows'));
    assert.deepEqual(Object.getOwnPropertySymbols(values[0]), []);
  });

  it("hands back vega's warnings, such as an empty extent", async () => {
    const chart = await renderChart({ ...lineSpec, data: { values: [] } }, join(dir, 'empty'));
    assert.ok(
      chart.warnings.some((warning) => warning.includes('Infinite extent')),
      chart.warnings.join('\n'),
    );
  });

  it('scales the PNG by pngScale', async () => {
    const single = await renderChart(lineSpec, join(dir, 'x1'));
    const double = await renderChart(lineSpec, join(dir, 'x2'), { pngScale: 2 });
    assert.deepEqual(pngSize(await readFile(double.pngPath)), { width: 2 * single.width, height: 2 * single.height });
  });

  it('refuses a spec that points at data to fetch', async () => {
    const remote: TopLevelSpec = { ...lineSpec, data: { url: 'https://example.com/data.json' } };
    await assert.rejects(renderChart(remote, join(dir, 'remote')), /inline.*example\.com/);
  });
});

describe('withTheme', () => {
  it('lets the spec override the theme one level deep', () => {
    const themed = withTheme({ ...lineSpec, config: { axis: { grid: false }, font: 'serif' } });
    assert.equal(themed.config?.font, 'serif');
    assert.equal(themed.config?.axis?.grid, false);
    assert.equal(themed.config?.axis?.labelFontSize, 11);
    assert.equal(themed.config?.background, 'white');
  });
});

describe('no-data charts', () => {
  const message = 'No viewer connected, so no latency was measured.';

  it('say so in words and draw no axis', async () => {
    const chart = await renderChart(noDataSpec('Latency', message), join(dir, 'no-data'));
    const svg = await readFile(chart.svgPath, 'utf8');
    assert.ok(svg.includes(message));
    assert.ok(svg.includes('Latency'));
    assert.doesNotMatch(svg, /role-axis/);
    assert.deepEqual(pngSize(await readFile(chart.pngPath)), { width: chart.width, height: chart.height });
  });

  it('replace a spec only when it has no rows, keeping its title', () => {
    assert.equal(withNoDataFallback(lineSpec, 4, message), lineSpec);
    const fallback = withNoDataFallback(lineSpec, 0, message);
    assert.deepEqual(fallback, noDataSpec('Sent bitrate', message));
  });
});
