// Pieces every report chart shares: the time axis, the colour-by-file and dash-by-mode encodings,
// titles with a subtitle, and the spec skeleton with inline data.
import type { TopLevelSpec } from 'vega-lite';
import { CHART_HEIGHT, CHART_WIDTH, VEGA_LITE_SCHEMA } from '../charts/theme.ts';
import { MODE_DASH, type FileStyle } from './colors.ts';
import type { StreamMode } from './records.ts';

export type Spec = Record<string, unknown>;

export const TIME_TITLE = 'time since the run started (s)';
export const PER_SECOND = 'per-second means';

/** Time from the run's start: every chart's axis begins at 0 s, so charts of one run line up. */
/** Labels far enough apart never to touch ("190200" was 190 and 200). */
export const timeAxis = (title = TIME_TITLE): Spec => ({
  field: 't_s',
  type: 'quantitative',
  title,
  scale: { zero: true },
  axis: { labelOverlap: 'greedy', labelSeparation: 6, format: '~r' },
});

export function title(text: string, subtitle: string): Spec {
  return { text, subtitle };
}

/** Colour by the `video` field (the file's legend label), one fixed colour per file. */
export function colourByFile(styles: readonly FileStyle[]): Spec {
  return {
    field: 'video',
    type: 'nominal',
    title: 'video',
    scale: { domain: styles.map((s) => s.label), range: styles.map((s) => s.colour) },
  };
}

/** Dash by the `mode` field: solid static, dashed dynamic. */
export function dashByMode(modes: readonly StreamMode[]): Spec {
  return {
    field: 'mode',
    type: 'nominal',
    title: 'mode',
    scale: { domain: [...modes], range: modes.map((mode) => MODE_DASH[mode]) },
  };
}

export function chart(fields: Spec): TopLevelSpec {
  // Built as plain objects; vega-lite validates them when compiling.
  return { $schema: VEGA_LITE_SCHEMA, width: CHART_WIDTH, height: CHART_HEIGHT, ...fields } as unknown as TopLevelSpec;
}
