// Per viewer, from its RTCP receiver reports: RTT and loss over time, one line per viewer.
import type { TopLevelSpec } from 'vega-lite';
import { withNoDataFallback } from '../charts/no-data.ts';
import type { RunSeries, ViewerSeries } from './aggregate.ts';
import { chart, timeAxis, title } from './spec-common.ts';
import { NO_VIEWERS } from './stream-specs.ts';
import { round } from '../metrics/round.ts';

export interface ViewerRow {
  t_s: number;
  value: number;
  viewer: string;
}

export const NO_REPORTS =
  'no receiver reports: viewers report about every 5 s over UDP, and TCP viewers from ffmpeg send none';
const NO_RTT = 'no RTT in the receiver reports: a viewer gives one only after echoing a sender report';

/** "video2 client:1 GStreamer (udp)": the client by the first word of its User-Agent. */
export function viewerLabel(series: ViewerSeries): string {
  const client = series.client === undefined ? '' : ` ${series.client.split(/[/ ]/)[0]}`;
  return `${series.stream} ${series.viewer}${client}${series.transport === undefined ? '' : ` (${series.transport})`}`;
}

/** Category10 past ten lines repeats colours: twenty distinct ones (tableau20) before any repeat. */
const MANY_LINES = 10;

function rows(
  viewers: readonly ViewerSeries[],
  pick: (point: ViewerSeries['points'][number]) => number | undefined,
): ViewerRow[] {
  return viewers.flatMap((series) =>
    series.points.flatMap((point) => {
      const value = pick(point);
      return value === undefined ? [] : [{ t_s: point.t_s, value, viewer: viewerLabel(series) }];
    }),
  );
}

function viewerSpec(
  heading: string,
  y: { title: string; format: string },
  data: ViewerRow[],
  run: Pick<RunSeries, 'viewerCount' | 'reporting'>,
  noValue: string,
): TopLevelSpec {
  const lines = new Set(data.map((row) => row.viewer)).size;
  const spec = chart({
    title: title(heading, 'one point per second with receiver reports (their mean), one line per viewer'),
    data: { values: data },
    mark: { type: 'line', point: true, strokeWidth: 2 },
    encoding: {
      x: timeAxis(),
      y: { field: 'value', type: 'quantitative', title: y.title, axis: { format: y.format } },
      color: {
        field: 'viewer',
        type: 'nominal',
        title: 'stream, viewer, client (transport)',
        legend: { titleLimit: 0, labelLimit: 0 },
        ...(lines > MANY_LINES ? { scale: { scheme: 'tableau20' } } : {}),
      },
    },
  });
  const message = run.viewerCount === 0 ? NO_VIEWERS : run.reporting.length === 0 ? NO_REPORTS : noValue;
  return withNoDataFallback(spec, data.length, message);
}

export function viewerRttSpec(run: Pick<RunSeries, 'viewerCount' | 'reporting'>): TopLevelSpec {
  return viewerSpec(
    'Network RTT per viewer',
    { title: 'RTT (ms)', format: '~r' },
    rows(run.reporting, (point) => point.rtt_ms),
    run,
    NO_RTT,
  );
}

export function viewerLossSpec(run: Pick<RunSeries, 'viewerCount' | 'reporting'>): TopLevelSpec {
  const loss = rows(run.reporting, (point) =>
    point.fraction_lost === undefined ? undefined : round(point.fraction_lost * 100, 2),
  );
  return viewerSpec(
    'Loss per viewer',
    { title: 'packets lost since the previous report (%)', format: '~r' },
    loss,
    run,
    NO_REPORTS,
  );
}
