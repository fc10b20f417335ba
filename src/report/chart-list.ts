// Which charts a report holds, in order, each with its id (file name), title and one-line caption.
import type { TopLevelSpec } from 'vega-lite';
import type { RunSeries, StreamSeries } from './aggregate.ts';
import { bitrateTimelineSpec, streamBitrateSpec, type CapacitySteps } from './bitrate-spec.ts';
import type { FileStyle } from './colors.ts';
import type { StreamMode } from './records.ts';
import { compareMeanSpec, streamTimeSpec, type MeanOf, type StreamFigure } from './stream-specs.ts';
import { viewerLossSpec, viewerRttSpec } from './viewer-specs.ts';

export interface ChartDef {
  id: string;
  title: string;
  caption: string;
  spec: TopLevelSpec;
}

export interface ChartInputs {
  run: RunSeries;
  styles: ReadonlyMap<string, FileStyle>;
  means: { latency: MeanOf; jitter: MeanOf; source: string };
  capacity?: CapacitySteps;
}

const CAPTIONS: Readonly<Record<StreamFigure, string>> = {
  frames:
    'Frames sent since the run started (frames), read at the end of each second; a flat stretch is a mount without viewers or a helper restarting.',
  latency:
    'Time a frame spends on the server from the encoder input to its last RTP packet leaving the payloader (ms), per-second means.',
  jitter:
    'RFC 3550-style smoothed deviation of the interval between frames sent from the frame period (ms), per-second means.',
};

const TITLES: Readonly<Record<StreamFigure, string>> = {
  frames: 'frame stacking',
  latency: 'frame latency',
  jitter: 'send jitter',
};

function modeCharts(mode: StreamMode, inputs: ChartInputs): ChartDef[] {
  return (['frames', 'latency', 'jitter'] as const).map((figure) => ({
    id: `${mode}-${figure}`,
    title: `${mode[0]!.toUpperCase()}${mode.slice(1)} streams: ${TITLES[figure]}`,
    caption: CAPTIONS[figure],
    spec: streamTimeSpec(figure, [mode], inputs.run.streams, inputs.styles),
  }));
}

function bitrateCharts(dynamic: readonly StreamSeries[], capacity: CapacitySteps | undefined): ChartDef[] {
  const caption =
    'Controller target, bitrate the encoder runs at, and RTP bitrate actually sent (kbit/s)' +
    (capacity ? ', with the link capacity.' : '.');
  if (dynamic.length === 0) {
    const spec = bitrateTimelineSpec({
      title: 'Bitrate of the dynamic streams',
      series: [],
      noDataMessage: 'no dynamic streams in this run',
    });
    return [{ id: 'bitrate', title: 'Bitrate of the dynamic streams', caption, spec }];
  }
  return dynamic.map((stream) => ({
    id: `bitrate-${stream.name}`,
    title: `Bitrate of ${stream.name} (dynamic)`,
    caption,
    spec: streamBitrateSpec(stream, capacity),
  }));
}

export function reportCharts(inputs: ChartInputs): ChartDef[] {
  const { run, styles, means } = inputs;
  return [
    ...modeCharts('static', inputs),
    ...modeCharts('dynamic', inputs),
    {
      id: 'compare-frames',
      title: 'Static vs dynamic: frame stacking',
      caption: 'Frames sent since the run started (frames), static mounts solid, dynamic dashed, one colour per video.',
      spec: streamTimeSpec('frames', ['static', 'dynamic'], run.streams, styles),
    },
    {
      id: 'compare-latency',
      title: 'Static vs dynamic: mean frame latency',
      caption: `Mean frame pipeline latency over the run (ms) per video, static beside dynamic (${means.source}).`,
      spec: compareMeanSpec('latency', run.streams, styles, means.latency, means.source),
    },
    {
      id: 'compare-jitter',
      title: 'Static vs dynamic: mean send jitter',
      caption: `Mean send jitter over the run (ms) per video, static beside dynamic (${means.source}).`,
      spec: compareMeanSpec('jitter', run.streams, styles, means.jitter, means.source),
    },
    ...bitrateCharts(
      run.streams.filter((stream) => stream.mode === 'dynamic'),
      inputs.capacity,
    ),
    {
      id: 'viewers-rtt',
      title: 'Viewers: network RTT',
      caption: "Round-trip time from each viewer's RTCP receiver reports (ms), one point per report.",
      spec: viewerRttSpec(run),
    },
    {
      id: 'viewers-loss',
      title: 'Viewers: loss',
      caption: "Packets lost since the viewer's previous receiver report (%), one point per report.",
      spec: viewerLossSpec(run),
    },
  ];
}
