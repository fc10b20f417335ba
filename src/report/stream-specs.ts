// Charts of the streams' own figures: frame stacking, frame latency and send jitter over time (for
// one mode, or both to compare), and mean latency / jitter per video, static beside dynamic.
import type { TopLevelSpec } from 'vega-lite';
import { withNoDataFallback } from '../charts/no-data.ts';
import type { StreamSeries } from './aggregate.ts';
import { MODES, type FileStyle } from './colors.ts';
import type { StreamMode } from './records.ts';
import { chart, colourByFile, dashByMode, PER_SECOND, timeAxis, title } from './spec-common.ts';
import { round } from '../metrics/round.ts';

export type StreamFigure = 'frames' | 'latency' | 'jitter';

interface FigureDef {
  field: 'frames_total' | 'latency_ms' | 'jitter_ms';
  title: string;
  yTitle: string;
  /** How a bin's value is made, for the subtitle. */
  binning: string;
}

export const FIGURES: Readonly<Record<StreamFigure, FigureDef>> = {
  frames: {
    field: 'frames_total',
    title: 'Frame stacking: frames sent',
    yTitle: 'frames sent (cumulative)',
    binning: 'read at the end of each second',
  },
  latency: {
    field: 'latency_ms',
    title: 'Frame pipeline latency',
    yTitle: 'latency, encoder in to payloader out (ms)',
    binning: PER_SECOND,
  },
  jitter: { field: 'jitter_ms', title: 'Send jitter', yTitle: 'send jitter (ms)', binning: PER_SECOND },
};

export const NO_VIEWERS = 'no viewers during this run: a mount encodes only while someone watches';

/** For a chart of some mounts only: the others may have had viewers. */
export function noViewersOn(mode: StreamMode): string {
  return `no viewers on the ${mode} mounts during this run: a mount encodes only while someone watches`;
}

export interface TimeRow {
  t_s: number;
  value: number;
  video: string;
  mode: StreamMode;
  stream: string;
}

export function timeRows(
  streams: readonly StreamSeries[],
  figure: StreamFigure,
  styles: ReadonlyMap<string, FileStyle>,
): TimeRow[] {
  const field = FIGURES[figure].field;
  return streams.flatMap((stream) =>
    stream.bins.flatMap((bin) => {
      const value = bin[field];
      return value === undefined
        ? []
        : [{ t_s: bin.t_s, value, video: styles.get(stream.file)!.label, mode: stream.mode, stream: stream.name }];
    }),
  );
}

/** Styles, in style order, of the videos that have rows: the legend lists only what is drawn. */
function stylesOf(rows: readonly { video: string }[], styles: ReadonlyMap<string, FileStyle>): FileStyle[] {
  const labels = new Set(rows.map((row) => row.video));
  return [...styles.values()].filter((style) => labels.has(style.label));
}

/**
 * One figure over time, one line per stream of the given modes (a single mode: its streams, one per
 * video; both: static solid beside dynamic dashed).
 */
export function streamTimeSpec(
  figure: StreamFigure,
  modes: readonly StreamMode[],
  streams: readonly StreamSeries[],
  styles: ReadonlyMap<string, FileStyle>,
): TopLevelSpec {
  const def = FIGURES[figure];
  const chosen = streams.filter((stream) => modes.includes(stream.mode));
  const rows = timeRows(chosen, figure, styles);
  const which =
    modes.length === 1
      ? `${modes[0]} mounts, one line per video`
      : 'static (solid) vs dynamic (dashed), one line per mount';
  const spec = chart({
    title: title(
      modes.length === 1 ? `${def.title}: ${modes[0]} streams` : `${def.title}: static vs dynamic`,
      `${which}; ${def.binning}`,
    ),
    data: { values: rows },
    mark: { type: 'line', interpolate: 'linear', strokeWidth: 2 },
    encoding: {
      x: timeAxis(),
      y: { field: 'value', type: 'quantitative', title: def.yTitle },
      color: colourByFile(stylesOf(rows, styles)),
      strokeDash: dashByMode(modes),
      detail: { field: 'stream', type: 'nominal' },
    },
  });
  if (chosen.length === 0)
    return withNoDataFallback(
      spec,
      0,
      modes.length === 1 ? `no ${modes[0]} streams in this run` : 'no streams in this run',
    );
  return withNoDataFallback(spec, rows.length, modes.length === 1 ? noViewersOn(modes[0]!) : NO_VIEWERS);
}

export interface MeanRow {
  video: string;
  mode: StreamMode;
  value: number;
}

/** A mean per stream, from summary.json when it has one, else from the records. */
export type MeanOf = (stream: StreamSeries) => number | undefined;

/** Bars of one mean per video, static beside dynamic. */
export function compareMeanSpec(
  figure: 'latency' | 'jitter',
  streams: readonly StreamSeries[],
  styles: ReadonlyMap<string, FileStyle>,
  meanOf: MeanOf,
  source: string,
): TopLevelSpec {
  const def = FIGURES[figure];
  const rows: MeanRow[] = streams.flatMap((stream) => {
    const value = meanOf(stream);
    return value === undefined
      ? []
      : [{ video: styles.get(stream.file)!.label, mode: stream.mode, value: round(value, 3) }];
  });
  const videos = stylesOf(rows, styles);
  const spec = chart({
    title: title(
      `Mean ${def.title.toLowerCase()} per video: static vs dynamic`,
      `mean over every frame of the run (${source}); dashed outline: dynamic`,
    ),
    data: { values: rows },
    mark: { type: 'bar', strokeWidth: 1.5, stroke: '#333' },
    encoding: {
      x: { field: 'video', type: 'nominal', title: 'video', sort: videos.map((s) => s.label), axis: { labelAngle: 0 } },
      xOffset: { field: 'mode', type: 'nominal', sort: [...MODES], scale: { domain: [...MODES] } },
      y: { field: 'value', type: 'quantitative', title: `mean ${def.yTitle}` },
      color: colourByFile(videos),
      fillOpacity: {
        field: 'mode',
        type: 'ordinal',
        sort: [...MODES],
        title: 'mode',
        scale: { domain: [...MODES], range: [1, 0.45] },
      },
      strokeDash: dashByMode(MODES),
    },
  });
  return withNoDataFallback(spec, rows.length, streams.length === 0 ? 'no streams in this run' : NO_VIEWERS);
}
