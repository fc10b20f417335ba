// What the dashboard's charts draw of one API snapshot: a row per line and chart, computed here
// once for the page and for the history the server keeps (dashboard-history.ts). A mount without
// viewers has a gap in its line (a null, no data: never 0); a viewer's unknown figure is no point.
import type { StreamJson, StreamsJson } from './api-json.ts';
import type { DashboardChart } from './dashboard-specs.ts';

/** `t` is seconds since the run started; the other fields are each chart's (dashboard-specs.ts). */
export type ChartRow = { t: number } & Record<string, number | string | null>;
export type DashboardPoints = Record<DashboardChart, ChartRow[]>;

/** A dynamic mount's lines: the target and what was sent, of each encoder its viewers play. */
function bitrateRows(t: number, stream: StreamJson): ChartRow[] {
  const rows: ChartRow[] = [];
  const seen = new Set<number | null>();
  for (const viewer of stream.viewer_list) {
    if (seen.has(viewer.encoder)) continue;
    seen.add(viewer.encoder);
    const line = viewer.encoder === null ? stream.name : `${stream.name} #${viewer.encoder}`;
    if (viewer.target_kbps !== null) rows.push({ t, line, series: 'target', kbps: viewer.target_kbps });
    if (viewer.sent_kbps !== null) rows.push({ t, line, series: 'sent', kbps: viewer.sent_kbps });
  }
  return rows;
}

export function dashboardPoints(snapshot: StreamsJson): DashboardPoints {
  const t = snapshot.t_s;
  const points: DashboardPoints = { bitrate: [], rtt: [], loss: [], frames: [] };
  for (const stream of snapshot.streams) {
    points.frames.push({ t, stream: stream.name, fps: stream.viewers > 0 ? stream.fps : null });
    if (stream.mode === 'dynamic') points.bitrate.push(...bitrateRows(t, stream));
    for (const viewer of stream.viewer_list) {
      const name = `${stream.name} ${viewer.id}`;
      if (viewer.rtt_ms !== null) points.rtt.push({ t, viewer: name, ms: viewer.rtt_ms });
      if (viewer.loss_pct !== null) points.loss.push({ t, viewer: name, pct: viewer.loss_pct });
    }
  }
  return points;
}
