// What the live views (HTTP API, dashboard, /metrics) read of a stream: the status table's figures
// and what a live view adds.
import type { StreamStatus } from '../ui/status-table.ts';
import type { ViewerSnapshot } from './viewer-metrics.ts';

/** A stream as it stands, for the HTTP API, the dashboard and /metrics. */
export interface StreamLive extends StreamStatus {
  /** The encoder's setting (a dynamic mount's is above its target: encoder-gain.ts). */
  appliedKbps: number | undefined;
  /** Frames sent since the run started, as the `frame` records count them. */
  framesTotal: number;
  restarts: number;
  rejected: Record<string, number>;
  feedbackIssues: Record<string, number>;
  /** The viewers playing now. */
  viewerList: ViewerSnapshot[];
}
