// A run directory -> every chart (PNG, SVG, Vega-Lite spec) and report.html beside the metrics.
// Reads metrics.ndjson once (streamed), renders the charts one at a time to bound memory.
import { signalLabel } from '../feedback/signal.ts';
import { realpath, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { renderChart } from '../charts/render.ts';
import { RunAggregator, type RunSeries, type StreamSeries } from './aggregate.ts';
import type { CapacitySteps } from './bitrate-spec.ts';
import { reportCharts, type ChartInputs } from './chart-list.ts';
import { fileStyles } from './colors.ts';
import { reportHtml, type ReportChart, type StreamRow, type ViewerRow } from './html.ts';
import { readRun, RunDirError } from './load-run.ts';
import type { RunSummary } from './summary.ts';
import { readProbeResults } from './probe-results.ts';

export interface ReportOptions {
  /** Link capacity over time (the benchmark knows it), drawn on each dynamic stream's bitrate chart. */
  capacity?: CapacitySteps;
}

export interface ReportResult {
  htmlPath: string;
  charts: { id: string; title: string; pngPath: string; svgPath: string; vlJsonPath: string }[];
  skippedLines: number;
  viewers: number;
  /** What the report could not show, and why (a malformed probes.json). */
  warnings: string[];
}

export async function writeReport(runDir: string, options: ReportOptions = {}): Promise<ReportResult> {
  await assertRunDir(runDir);
  const aggregator = new RunAggregator();
  const reading = await readRun(runDir, (record) => aggregator.add(record));
  const run = aggregator.finish();
  const files = run.streams.map((stream) => stream.file);
  const styles = fileStyles(files, await fileSizes(files));
  const charts = reportCharts({ run, styles, means: meansOf(reading.summary), capacity: options.capacity });

  const written: ReportResult['charts'] = [];
  const inline: ReportChart[] = [];
  for (const chart of charts) {
    const rendered = await renderChart(chart.spec, join(runDir, chart.id));
    written.push({
      id: chart.id,
      title: chart.title,
      pngPath: rendered.pngPath,
      svgPath: rendered.svgPath,
      vlJsonPath: rendered.vlJsonPath,
    });
    inline.push({ id: chart.id, title: chart.title, caption: chart.caption, svg: rendered.svg });
  }

  const summary = reading.summary;
  const htmlPath = join(runDir, 'report.html');
  const probes = readProbeResults(runDir);
  const html = reportHtml({
    runId: basename(await realpath(runDir)),
    startedAt: summary?.startedAt ?? run.startedAt,
    durationS: summary?.durationS ?? run.lastS,
    endedCleanly: reading.ended,
    skippedLines: reading.skippedLines,
    tableSource: summary === undefined ? 'the records in metrics.ndjson' : 'summary.json',
    summaryNote:
      summary === undefined
        ? 'summary.json is missing (the run did not stop cleanly): the table is computed from the records, without percentiles.'
        : undefined,
    viewerCount: run.viewerCount,
    streams: summary === undefined ? streamRowsFromRecords(run) : streamRowsFromSummary(summary),
    viewers: viewerRows(run, summary),
    probes: probes.probes,
    probesNote: probes.problem === undefined ? undefined : `${probes.problem}: what probing viewers saw is not shown.`,
    charts: inline,
  });
  await writeFile(htmlPath, html);
  return {
    htmlPath,
    charts: written,
    skippedLines: reading.skippedLines,
    viewers: run.viewerCount,
    warnings: probes.problem === undefined ? [] : [probes.problem],
  };
}

async function assertRunDir(runDir: string): Promise<void> {
  try {
    if ((await stat(runDir)).isDirectory()) return;
  } catch {
    // reported below
  }
  throw new RunDirError(
    `no run directory at ${runDir}: give the directory of a run (out/<run-id>), written by npm start`,
  );
}

/** Sizes of the video files that still exist (as the server saw the paths: relative to its cwd). */
async function fileSizes(files: readonly string[]): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  for (const file of new Set(files)) {
    try {
      sizes.set(file, (await stat(file)).size);
    } catch {
      // Gone since the run: the legend shows the bare name.
    }
  }
  return sizes;
}

function meansOf(summary: RunSummary | undefined): ChartInputs['means'] {
  if (summary === undefined) {
    return { latency: (s) => s.meanLatencyMs, jitter: (s) => s.meanJitterMs, source: 'from the records' };
  }
  const byName = new Map(summary.streams.map((stream) => [stream.stream, stream]));
  return {
    latency: (s: StreamSeries) => byName.get(s.name)?.latencyMs.mean ?? s.meanLatencyMs,
    jitter: (s: StreamSeries) => byName.get(s.name)?.jitterMs.mean ?? s.meanJitterMs,
    source: 'from summary.json',
  };
}

function streamRowsFromSummary(summary: RunSummary): StreamRow[] {
  return summary.streams.map((s) => ({
    stream: s.stream,
    mode: s.mode,
    file: s.file,
    frames: s.frames,
    latencyMean: s.latencyMs.mean,
    latencyP95: s.latencyMs.p95,
    jitterMean: s.jitterMs.mean,
    jitterP95: s.jitterMs.p95,
    meanSentKbps: s.meanSentKbps,
    restarts: s.restarts,
  }));
}

const mean = (values: readonly number[]): number | undefined =>
  values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0) / values.length;

function streamRowsFromRecords(run: RunSeries): StreamRow[] {
  return run.streams.map((s) => ({
    stream: s.name,
    mode: s.mode,
    file: s.file,
    frames: s.frames,
    latencyMean: s.meanLatencyMs,
    latencyP95: undefined,
    jitterMean: s.meanJitterMs,
    jitterP95: undefined,
    meanSentKbps: mean(s.bins.flatMap((bin) => (bin.sent_kbps === undefined ? [] : [bin.sent_kbps]))),
    restarts: undefined,
  }));
}

/**
 * Every viewer the records saw (one row each, as the header counts them), with its run figures
 * from summary.json when it has them (percentiles), else from the records.
 */
function viewerRows(run: RunSeries, summary: RunSummary | undefined): ViewerRow[] {
  const summarized = new Map(
    (summary?.streams ?? []).flatMap((s) => s.viewers.map((v) => [`${s.stream} ${v.key}`, v] as const)),
  );
  return run.viewers.map((v) => {
    const figures = summarized.get(`${v.stream} ${v.viewer}`);
    const row = {
      stream: v.stream,
      viewer: v.viewer,
      client: v.client,
      address: v.address,
      transport: v.transport ?? figures?.transport,
    };
    if (figures !== undefined)
      return {
        ...row,
        reports: figures.reports,
        rttMean: figures.rtt.mean,
        rttP95: figures.rtt.p95,
        meanLoss: figures.meanFractionLost,
        signal: figures.signal ?? 'none',
        feedbackIssues: figures.feedbackIssues,
      };
    return {
      ...row,
      reports: v.reports,
      rttMean: mean(v.points.flatMap((p) => (p.rtt_ms === undefined ? [] : [p.rtt_ms]))),
      rttP95: undefined,
      meanLoss: mean(v.points.flatMap((p) => (p.fraction_lost === undefined ? [] : [p.fraction_lost]))),
      signal: signalLabel(v.signal, v.cadenceMs),
      feedbackIssues: v.feedbackIssues,
    };
  });
}
