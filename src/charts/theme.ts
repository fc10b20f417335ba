// The look shared by every chart: one font that Debian ships (fonts-dejavu-core, which
// bootstrap installs), so PNG text renders the same on any machine, and the default sizes.
import type { Config, TopLevelSpec } from 'vega-lite';

/** The Vega-Lite version every spec is written for (vega-lite 6). */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

export const CHART_FONT = 'DejaVu Sans';
export const CHART_WIDTH = 640;
export const CHART_HEIGHT = 320;

export const chartConfig: Config = {
  font: CHART_FONT,
  // An opaque PNG reads the same in dark-themed image viewers.
  background: 'white',
  padding: 8,
  title: { fontSize: 14, anchor: 'start' },
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  view: { continuousWidth: CHART_WIDTH, continuousHeight: CHART_HEIGHT },
};

/**
 * The spec with the theme under its own config: the written .vl.json then draws the same
 * picture in any Vega-Lite viewer. The spec's settings win, merged one level deep so that
 * `config.axis.grid` keeps the theme's axis font sizes.
 */
export function withTheme(spec: TopLevelSpec): TopLevelSpec {
  const config: Record<string, unknown> = { ...chartConfig };
  for (const [key, value] of Object.entries(spec.config ?? {})) {
    const base = config[key];
    config[key] = isPlainObject(base) && isPlainObject(value) ? { ...base, ...value } : value;
  }
  return { ...spec, config };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
