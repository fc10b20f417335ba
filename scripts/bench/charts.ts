// Vega-Lite specs of a bench run, per transport (bitrate vs capacity, RTT, loss, cumulative frames
// decoded, the probes' end-to-end delay and SSIM), rendered with the project's renderer (src/charts/render.ts).
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { renderChart } from '../../src/charts/render.ts';
import { VEGA_LITE_SCHEMA } from '../../src/charts/theme.ts';
import { BITRATE_COLOURS, bitrateTimelineSpec, type BitrateSeries } from '../../src/report/bitrate-spec.ts';
import type { TimelineBin } from './analysis.ts';
import type { Transport } from './options.ts';
import type { BenchResults, VariantResult } from './results.ts';

type Spec = Record<string, unknown>;
type Row = { t_s: number; value: number; series: string };

/** One colour per series, the same in every chart. */
export const SERIES_COLOURS: Readonly<Record<string, string>> = {
  capacity: BITRATE_COLOURS.capacity,
  'static 5000': '#d62728',
  'static 1000': '#1f77b4',
  'dynamic rtspsrc': '#2ca02c',
  'dynamic rtspsrc target': '#98df8a',
  'dynamic ffmpeg': '#9467bd',
  'dynamic ffmpeg target': '#c5b0d5',
  'dynamic chromium': '#ff7f0e',
  'dynamic chromium target': '#ffbb78',
};

function colour(series: readonly string[]): Spec {
  return {
    field: 'series',
    type: 'nominal',
    title: null,
    scale: { domain: series, range: series.map((name) => SERIES_COLOURS[name] ?? '#7f7f7f') },
  };
}

function rowsOf(variant: VariantResult, series: string, pick: (bin: TimelineBin) => number | null | undefined): Row[] {
  return variant.timeline.flatMap((bin) => {
    const value = pick(bin);
    return value === null || value === undefined ? [] : [{ t_s: bin.t_s, value, series }];
  });
}

function lineChart(title: string, yTitle: string, rows: Row[], series: string[], interpolate = 'linear'): Spec {
  return {
    $schema: VEGA_LITE_SCHEMA,
    title,
    width: 720,
    height: 260,
    data: { values: rows },
    mark: { type: 'line', interpolate },
    encoding: {
      x: { field: 't_s', type: 'quantitative', title: 'time since the streams started (s)' },
      y: { field: 'value', type: 'quantitative', title: yTitle },
      color: colour(series),
    },
  };
}

export function bitrateSpec(transport: Transport, variants: readonly VariantResult[]): Spec {
  const first = variants[0];
  const points = (rows: Row[]) => rows.map((row) => ({ t_s: row.t_s, kbps: row.value }));
  const dynamic = variants.filter((variant) => variant.mode === 'dynamic');
  const series: BitrateSeries[] = [
    {
      name: 'capacity',
      colour: SERIES_COLOURS.capacity!,
      interpolate: 'step-after',
      points: points(first ? rowsOf(first, 'capacity', (bin) => bin.capacity_kbps) : []),
    },
    ...variants.map((variant): BitrateSeries => ({
      name: variant.name,
      colour: SERIES_COLOURS[variant.name] ?? '#7f7f7f',
      points: points(rowsOf(variant, variant.name, (bin) => bin.delivered_kbps)),
    })),
    // The encoder follows its target within a frame: the target alone says what was asked.
    ...dynamic.map((variant): BitrateSeries => ({
      name: `${variant.name} target`,
      colour: SERIES_COLOURS[`${variant.name} target`] ?? '#c7c7c7',
      dash: [6, 3],
      interpolate: 'step-after',
      points: points(rowsOf(variant, `${variant.name} target`, (bin) => bin.target_kbps)),
    })),
  ];
  // The report's bitrate chart (src/report/bitrate-spec.ts), with the bench's series and axes.
  const spec = bitrateTimelineSpec({
    title: `Bitrate vs capacity (${transport}): delivered through the bottleneck`,
    xTitle: 'time since the streams started (s)',
    yTitle: 'kbit/s',
    series,
    noDataMessage: `no bitrate samples for ${transport}`,
  });
  return { ...(spec as unknown as Spec), width: 720, height: 260 };
}

export function rttSpec(transport: Transport, variants: readonly VariantResult[]): Spec {
  return lineChart(
    `RTT through the bottleneck (${transport}, ping)`,
    'RTT (ms)',
    variants.flatMap((v) => rowsOf(v, v.name, (bin) => bin.rtt_ms)),
    variants.map((v) => v.name),
  );
}

export function lossSpec(transport: Transport, variants: readonly VariantResult[]): Spec {
  return lineChart(
    `Loss at the bottleneck (${transport}, tbf drops)`,
    'packets dropped (%)',
    variants.flatMap((v) => rowsOf(v, v.name, (bin) => bin.loss_pct)),
    variants.map((v) => v.name),
  );
}

export function framesSpec(transport: Transport, variants: readonly VariantResult[]): Spec {
  return lineChart(
    `Frames decoded by the probe client (${transport})`,
    'frames decoded (cumulative)',
    variants.flatMap((v) => rowsOf(v, v.name, (bin) => bin.frames_decoded_cum)),
    variants.map((v) => v.name),
  );
}

export function e2eSpec(transport: Transport, variants: readonly VariantResult[]): Spec {
  return lineChart(
    `End-to-end delay at the viewer (${transport}, probe)`,
    'server clock → decoded (ms, mean per 0.5 s)',
    variants.flatMap((v) => rowsOf(v, v.name, (bin) => bin.e2e_ms)),
    variants.map((v) => v.name),
  );
}

export function ssimSpec(transport: Transport, variants: readonly VariantResult[]): Spec {
  return lineChart(
    `Picture quality at the viewer (${transport}, probe)`,
    'SSIM vs the served clip (mean per 0.5 s)',
    variants.flatMap((v) => rowsOf(v, v.name, (bin) => bin.ssim)),
    variants.map((v) => v.name),
  );
}

export function benchChartSpecs(results: BenchResults): { name: string; spec: Spec }[] {
  return results.transports.flatMap((transport) => {
    const variants = results.variants.filter((variant) => variant.transport === transport);
    return [
      { name: `${transport}-bitrate`, spec: bitrateSpec(transport, variants) },
      { name: `${transport}-rtt`, spec: rttSpec(transport, variants) },
      { name: `${transport}-loss`, spec: lossSpec(transport, variants) },
      { name: `${transport}-frames`, spec: framesSpec(transport, variants) },
      { name: `${transport}-e2e`, spec: e2eSpec(transport, variants) },
      { name: `${transport}-ssim`, spec: ssimSpec(transport, variants) },
    ];
  });
}

/** Writes <dir>/charts/<name>.vl.json/.svg/.png. */
export async function renderBenchCharts(
  results: BenchResults,
  dir: string,
  log: (line: string) => void,
): Promise<void> {
  for (const { name, spec } of benchChartSpecs(results)) {
    // The specs are plain objects built above; vega-lite validates them when compiling.
    const chart = await renderChart(spec as unknown as TopLevelSpec, join(dir, 'charts', name));
    for (const warning of chart.warnings) log(`chart ${name}: ${warning}`);
  }
  log(`charts in ${join(dir, 'charts')}`);
}
