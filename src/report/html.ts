// report.html: one self-contained page (inline CSS, inline SVG charts, no script, nothing fetched).
// Pure: takes what to show, returns the text. Every text put in the page goes through `escapeHtml`.
import type { ProbeResult } from './probe-results.ts';

export interface StreamRow {
  stream: string;
  mode: string;
  file: string;
  frames: number | undefined;
  latencyMean: number | undefined;
  latencyP95: number | undefined;
  jitterMean: number | undefined;
  jitterP95: number | undefined;
  meanSentKbps: number | undefined;
  restarts: number | undefined;
}

export interface ViewerRow {
  stream: string;
  viewer: string;
  /** Its client's User-Agent and address. */
  client: string | undefined;
  address: string | undefined;
  transport: string | undefined;
  reports: number | undefined;
  rttMean: number | undefined;
  rttP95: number | undefined;
  /** Mean loss fraction, 0..1. */
  meanLoss: number | undefined;
  /** What its feedback was: `twcc`, `tcp-queue`, `rr 5.0 s`, `none`. */
  signal: string;
  /** Its reports and feedback the server corrected or dropped. */
  feedbackIssues: number | undefined;
}

export interface ReportChart {
  id: string;
  title: string;
  caption: string;
  /** An SVG document as vega wrote it. */
  svg: string;
}

export interface ReportPage {
  runId: string;
  startedAt: string | undefined;
  durationS: number | undefined;
  endedCleanly: boolean;
  skippedLines: number;
  /** Where the table's figures come from, e.g. "summary.json". */
  tableSource: string;
  /** Said above the table when summary.json is absent. */
  summaryNote: string | undefined;
  viewerCount: number;
  streams: StreamRow[];
  viewers: ViewerRow[];
  /** probes.json of the run: what probing viewers saw; empty when none ran. */
  probes: ProbeResult[];
  /** Why a probes.json present could not be shown. */
  probesNote?: string;
  charts: ReportChart[];
}

export const NO_VIEWERS_NOTE =
  'No viewers during this run: a mount encodes only while someone watches, so there are no frame, bitrate or viewer figures.';

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char]!);
}

const fixed = (value: number | null | undefined, digits: number): string =>
  value === undefined || value === null ? '-' : value.toFixed(digits);

const CSS = `
body { font-family: 'DejaVu Sans', Verdana, sans-serif; margin: 0 auto; padding: 1rem 1.5rem; max-width: 1100px; color: #222; background: #fff; }
h1 { font-size: 1.4rem; margin: 0 0 .5rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
dl.run { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0; }
dl.run dt { font-weight: bold; }
dl.run dd { margin: 0; }
table { border-collapse: collapse; font-size: .85rem; margin: .5rem 0; }
th, td { border: 1px solid #ccc; padding: .25rem .5rem; text-align: right; }
th { background: #f3f3f3; }
td.text, th.text { text-align: left; }
p.note { background: #fff4d6; border-left: 4px solid #e0a800; padding: .5rem .75rem; }
figure.chart { margin: 1rem 0 1.5rem; }
figure.chart svg { max-width: 100%; height: auto; display: block; }
figcaption { font-size: .85rem; color: #444; margin-top: .3rem; }
nav ul { columns: 2; font-size: .85rem; }
`;

function header(page: ReportPage): string {
  const facts: [string, string][] = [
    ['run', page.runId],
    ['started', page.startedAt ?? 'unknown'],
    ['duration', page.durationS === undefined ? 'unknown' : `${page.durationS.toFixed(1)} s`],
    [
      'ended',
      page.endedCleanly
        ? 'cleanly (end record present)'
        : 'without an end record: the server crashed or was killed; figures cover what was written',
    ],
    [
      'skipped lines',
      `${page.skippedLines}${page.skippedLines > 0 ? ' (not valid JSON, e.g. a last line cut short by a crash)' : ''}`,
    ],
    ['viewers', String(page.viewerCount)],
  ];
  return `<dl class="run">${facts.map(([term, value]) => `<dt>${escapeHtml(term)}</dt><dd>${escapeHtml(value)}</dd>`).join('')}</dl>`;
}

function table(headings: string[], textColumns: number, rows: string[][]): string {
  const cell = (tag: string, text: string, i: number): string =>
    `<${tag}${i < textColumns ? ' class="text"' : ''}>${escapeHtml(text)}</${tag}>`;
  const head = `<tr>${headings.map((heading, i) => cell('th', heading, i)).join('')}</tr>`;
  const body = rows.map((row) => `<tr>${row.map((text, i) => cell('td', text, i)).join('')}</tr>`).join('\n');
  return `<table>\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

function streamTable(rows: readonly StreamRow[]): string {
  return table(
    [
      'stream',
      'mode',
      'file',
      'frames',
      'latency mean (ms)',
      'latency p95 (ms)',
      'jitter mean (ms)',
      'jitter p95 (ms)',
      'mean sent (kbit/s)',
      'restarts',
    ],
    3,
    rows.map((row) => [
      row.stream,
      row.mode,
      row.file,
      row.frames === undefined ? '-' : String(row.frames),
      fixed(row.latencyMean, 2),
      fixed(row.latencyP95, 2),
      fixed(row.jitterMean, 2),
      fixed(row.jitterP95, 2),
      fixed(row.meanSentKbps, 0),
      row.restarts === undefined ? '-' : String(row.restarts),
    ]),
  );
}

function viewerTable(rows: readonly ViewerRow[]): string {
  return table(
    [
      'stream',
      'viewer',
      'client',
      'address',
      'transport',
      'signal',
      'reports',
      'RTT mean (ms)',
      'RTT p95 (ms)',
      'mean loss (%)',
      'feedback corrected or dropped',
    ],
    6,
    rows.map((row) => [
      row.stream,
      row.viewer,
      row.client ?? '-',
      row.address ?? '-',
      row.transport ?? '-',
      row.signal,
      row.reports === undefined ? '-' : String(row.reports),
      fixed(row.rttMean, 2),
      fixed(row.rttP95, 2),
      row.meanLoss === undefined ? '-' : (row.meanLoss * 100).toFixed(2),
      row.feedbackIssues === undefined ? '-' : String(row.feedbackIssues),
    ]),
  );
}

function probeTable(rows: readonly ProbeResult[]): string {
  return table(
    [
      'viewer',
      'mount',
      'client',
      'transport',
      'frames decoded',
      'unique frames (%)',
      'e2e delay p50 (ms)',
      'e2e delay p95 (ms)',
      'stalls',
      'stalled (s)',
      'SSIM',
      'PSNR (dB)',
    ],
    4,
    rows.map((row) => [
      row.name,
      row.mount,
      row.client,
      row.transport ?? '-',
      String(row.frames_decoded),
      fixed(row.frames_unique_pct, 1),
      fixed(row.e2e_delay_p50_ms, 1),
      fixed(row.e2e_delay_p95_ms, 1),
      String(row.stall_count),
      row.stall_s.toFixed(2),
      fixed(row.ssim_mean, 4),
      fixed(row.psnr_mean_db, 2),
    ]),
  );
}

/** The SVG without an XML prolog, so it can sit inside HTML. */
function inlineSvg(svg: string): string {
  return svg.replace(/^\s*<\?xml[^>]*>\s*/, '');
}

function figure(chart: ReportChart): string {
  return `<figure class="chart" data-chart="${escapeHtml(chart.id)}" id="chart-${escapeHtml(chart.id)}">\n${inlineSvg(chart.svg)}\n<figcaption><strong>${escapeHtml(chart.title)}.</strong> ${escapeHtml(chart.caption)}</figcaption>\n</figure>`;
}

export function reportHtml(page: ReportPage): string {
  const notes = [
    ...(page.summaryNote === undefined ? [] : [page.summaryNote]),
    ...(page.viewerCount === 0 ? [NO_VIEWERS_NOTE] : []),
    ...(page.probesNote === undefined ? [] : [page.probesNote]),
  ];
  const viewers = page.viewers.length > 0 ? viewerTable(page.viewers) : '<p>No viewer gave any feedback.</p>';
  const toc = page.charts
    .map((chart) => `<li><a href="#chart-${escapeHtml(chart.id)}">${escapeHtml(chart.title)}</a></li>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`Run ${page.runId}`)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>${escapeHtml(`Run ${page.runId}`)}</h1>
${header(page)}
${notes.map((note) => `<p class="note">${escapeHtml(note)}</p>`).join('\n')}
<h2>Summary</h2>
<section class="summary">
<p>Per stream (from ${escapeHtml(page.tableSource)}); latency and jitter are server-side figures, defined in docs/metrics.md.</p>
${streamTable(page.streams)}
<p>Per viewer: the feedback that steered its bitrate (the server's send queue towards a TCP viewer, TWCC feedback, or receiver reports at their cadence), and from its RTCP receiver reports, once checked, RTT and loss; feedback that contradicted what the server sent was corrected or dropped (docs/controller.md).</p>
${viewers}
${page.probes.length > 0 ? `<p>What probing viewers saw (probes.json, docs/probe.md): decoded frames, unique source frames shown of those the server produced, end-to-end delay from the server's clock to the decoded picture, stalls (no new frame for max(3 × mean interval, mean + 150 ms)), and SSIM and PSNR against the served clip.</p>\n${probeTable(page.probes)}` : ''}
</section>
<h2>Charts</h2>
<nav><ul>
${toc}
</ul></nav>
${page.charts.map(figure).join('\n')}
</body>
</html>
`;
}
