// Bitrate over time, one line per series (controller target, encoder setting, bytes sent, link
// capacity...): the report's chart per dynamic stream, and the benchmark's bitrate chart.
import type { TopLevelSpec } from 'vega-lite';
import { withNoDataFallback } from '../charts/no-data.ts';
import type { EncoderSeries, StreamSeries } from './aggregate.ts';
import { FILE_PALETTE } from './colors.ts';
import { chart, PER_SECOND, timeAxis, title, type Spec } from './spec-common.ts';

export interface BitrateSeries {
  name: string;
  colour: string;
  /** Dash pattern; solid when absent. */
  dash?: number[];
  /** `step-after` for a setting in force until the next change. Default `linear`. */
  interpolate?: 'linear' | 'step-after';
  strokeWidth?: number;
  points: readonly { t_s: number; kbps: number }[];
}

export interface BitrateChart {
  title: string;
  subtitle?: string;
  xTitle?: string;
  yTitle?: string;
  series: readonly BitrateSeries[];
  /** Said instead of drawing empty axes. */
  noDataMessage: string;
}

export interface BitrateRow {
  t_s: number;
  kbps: number;
  series: string;
}

/** One layer per series with rows; colours fixed by series name, in the order given. */
export function bitrateTimelineSpec(input: BitrateChart): TopLevelSpec {
  const drawn = input.series.filter((series) => series.points.length > 0);
  const layers = drawn.map((series): Spec => {
    const mark: Spec = {
      type: 'line',
      interpolate: series.interpolate ?? 'linear',
      strokeWidth: series.strokeWidth ?? 2,
    };
    if (series.dash !== undefined) mark.strokeDash = series.dash;
    const values: BitrateRow[] = series.points.map((point) => ({
      t_s: point.t_s,
      kbps: point.kbps,
      series: series.name,
    }));
    return { data: { values }, mark };
  });
  const spec = chart({
    title: input.subtitle === undefined ? input.title : title(input.title, input.subtitle),
    encoding: {
      x: timeAxis(input.xTitle),
      y: { field: 'kbps', type: 'quantitative', title: input.yTitle ?? 'bitrate (kbit/s)' },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: { domain: drawn.map((s) => s.name), range: drawn.map((s) => s.colour) },
      },
    },
    layer: layers,
  });
  return withNoDataFallback(spec, layers.length, input.noDataMessage);
}

export const BITRATE_COLOURS = {
  capacity: '#000000',
  target: '#2ca02c',
  applied: '#8c564b',
  sent: '#1f77b4',
} as const;

/** Capacity of the link, when the caller knows it (the benchmark), as steps from tS on. */
export type CapacitySteps = readonly { tS: number; kbps: number }[];

/** An encoder's target (dashed, as the stream's) and what it sent, in a colour of its own. */
function encoderSeries(encoder: EncoderSeries, index: number): BitrateSeries[] {
  const colour = FILE_PALETTE[index % FILE_PALETTE.length]!;
  const pick = (field: 'target_kbps' | 'sent_kbps') =>
    encoder.bins.flatMap((bin) => (bin[field] === undefined ? [] : [{ t_s: bin.t_s, kbps: bin[field] }]));
  return [
    {
      name: `encoder ${encoder.encoder}: target`,
      colour,
      dash: [6, 4],
      interpolate: 'step-after',
      points: pick('target_kbps'),
    },
    { name: `encoder ${encoder.encoder}: sent`, colour, points: pick('sent_kbps') },
  ];
}

/** The report's chart for one dynamic stream: target, encoder setting, sent, and capacity if known;
 * per encoder (target and sent) when the stream ran more than one (a viewer each). */
export function streamBitrateSpec(stream: StreamSeries, capacity: CapacitySteps | undefined): TopLevelSpec {
  const pick = (field: 'target_kbps' | 'applied_kbps' | 'sent_kbps') =>
    stream.bins.flatMap((bin) => (bin[field] === undefined ? [] : [{ t_s: bin.t_s, kbps: bin[field] }]));
  const perEncoder = stream.encoders.length > 1;
  const series: BitrateSeries[] = perEncoder
    ? stream.encoders.flatMap(encoderSeries)
    : [
        // The dashed target is drawn over the setting, which often equals it.
        {
          name: 'encoder setting (applied)',
          colour: BITRATE_COLOURS.applied,
          interpolate: 'step-after',
          strokeWidth: 3,
          points: pick('applied_kbps'),
        },
        {
          name: 'controller target',
          colour: BITRATE_COLOURS.target,
          dash: [6, 4],
          interpolate: 'step-after',
          points: pick('target_kbps'),
        },
        { name: 'sent (RTP bytes)', colour: BITRATE_COLOURS.sent, points: pick('sent_kbps') },
      ];
  const hasData = series.some((s) => s.points.length > 0);
  if (capacity !== undefined && capacity.length > 0 && hasData) {
    series.unshift({
      name: 'link capacity',
      colour: BITRATE_COLOURS.capacity,
      interpolate: 'step-after',
      strokeWidth: 1.5,
      points: capacity.map((step) => ({ t_s: step.tS, kbps: step.kbps })),
    });
  }
  const subtitle = perEncoder
    ? `${stream.encoders.length} encoders (one per viewer): target in force at the end of each second, dashed; sent: ${PER_SECOND}`
    : `target and setting: value in force at the end of each second; sent: ${PER_SECOND}`;
  return bitrateTimelineSpec({
    title: `Bitrate of ${stream.name} (dynamic, ${stream.file.split('/').at(-1)})`,
    subtitle,
    series: hasData ? series : [],
    noDataMessage: `no viewers on ${stream.name} during this run: a mount encodes only while someone watches`,
  });
}
