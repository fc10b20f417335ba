// The dashboard's four charts as Vega-Lite, in the report's theme (src/charts/theme.ts), compiled
// here to Vega once: the page only feeds them rows (named data `rows`, one a second per series).
import { compile, type TopLevelSpec } from 'vega-lite';
import { VEGA_LITE_SCHEMA, withTheme } from '../charts/theme.ts';

export const DASHBOARD_CHARTS = ['bitrate', 'rtt', 'loss', 'frames'] as const;
export type DashboardChart = (typeof DASHBOARD_CHARTS)[number];

interface Axes {
  /** The row field drawn on y, its title and d3 format. */
  y: string;
  title: string;
  format: string;
  /** The row field that names a line, and the legend's title for it. */
  color: string;
  colorTitle: string;
  /** A second field told apart by dashes (target / encoder / sent). */
  dash?: string;
}

const AXES: Readonly<Record<DashboardChart, Axes>> = {
  // A line per encoder (`video2 #3`; the mount's name when its viewers share one), dashed by series.
  bitrate: { y: 'kbps', title: 'kbit/s', format: 'd', color: 'line', colorTitle: 'encoder', dash: 'series' },
  rtt: { y: 'ms', title: 'RTT ms', format: '.1f', color: 'viewer', colorTitle: 'viewer' },
  loss: { y: 'pct', title: 'loss %', format: '.1f', color: 'viewer', colorTitle: 'viewer' },
  frames: { y: 'fps', title: 'frames/s', format: 'd', color: 'stream', colorTitle: 'stream' },
};

function specOf({ y, title, format, color, colorTitle, dash }: Axes): TopLevelSpec {
  return withTheme({
    $schema: VEGA_LITE_SCHEMA,
    width: 480,
    height: 200,
    data: { name: 'rows' },
    // A null value (a mount without viewers) breaks its line instead of joining across the gap.
    mark: { type: 'line', interpolate: 'linear', invalid: 'break-paths-show-domains' },
    encoding: {
      x: { field: 't', type: 'quantitative', title: 'seconds since start', axis: { tickMinStep: 1, format: 'd' } },
      y: { field: y, type: 'quantitative', title, axis: { format } },
      color: { field: color, type: 'nominal', title: colorTitle },
      ...(dash ? { strokeDash: { field: dash, type: 'nominal', title: dash } } : {}),
    },
  });
}

/** Vega specs by chart name, for GET /dashboard-specs.json. */
export function dashboardSpecs(): Record<DashboardChart, object> {
  return Object.fromEntries(DASHBOARD_CHARTS.map((chart) => [chart, compile(specOf(AXES[chart])).spec])) as Record<
    DashboardChart,
    object
  >;
}
