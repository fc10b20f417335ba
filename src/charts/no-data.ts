// A chart without data says so in words: empty axes look like a rendering bug, or like a
// measured zero.
import type { TopLevelSpec } from 'vega-lite';
import { CHART_HEIGHT, CHART_WIDTH, VEGA_LITE_SCHEMA } from './theme.ts';

export type ChartTitle = NonNullable<TopLevelSpec['title']>;

export function noDataSpec(title: ChartTitle, message: string): TopLevelSpec {
  return {
    $schema: VEGA_LITE_SCHEMA,
    title,
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    // The message travels as data, not as an expression, so no character needs escaping.
    data: { values: [{ message }] },
    // With no x/y encoding Vega-Lite centres the text in the view.
    mark: { type: 'text', fontSize: 14, color: '#555' },
    encoding: { text: { field: 'message', type: 'nominal' } },
    config: { view: { stroke: null } },
  };
}

/** `spec` when it has rows to draw, otherwise a chart with the same title saying `message`. */
export function withNoDataFallback(spec: TopLevelSpec, rowCount: number, message: string): TopLevelSpec {
  if (rowCount > 0) return spec;
  return noDataSpec(spec.title ?? '', message);
}
