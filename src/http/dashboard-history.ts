// The last five minutes of the dashboard's chart rows, kept by the server from its start, so that
// a page opened late starts with them instead of an empty chart.
import { DASHBOARD_CHARTS } from './dashboard-specs.ts';
import type { ChartRow, DashboardPoints } from './dashboard-points.ts';

export const HISTORY_WINDOW_S = 300;
/** Per chart: a run with very many viewers keeps less than the window rather than grow without bound. */
export const MAX_ROWS_PER_CHART = 20_000;

export class DashboardHistory {
  readonly #rows: DashboardPoints = { bitrate: [], rtt: [], loss: [], frames: [] };

  add(points: DashboardPoints, nowS: number): void {
    const cutoff = nowS - HISTORY_WINDOW_S;
    for (const chart of DASHBOARD_CHARTS) {
      const rows = this.#rows[chart];
      rows.push(...points[chart]);
      let first = 0;
      while (first < rows.length && (rows[first]!.t < cutoff || rows.length - first > MAX_ROWS_PER_CHART)) first += 1;
      if (first > 0) rows.splice(0, first);
    }
  }

  rows(): Readonly<Record<string, readonly ChartRow[]>> {
    return this.#rows;
  }
}
