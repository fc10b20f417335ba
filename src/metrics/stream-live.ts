// What the live views (HTTP API, dashboard, /metrics) read of a stream: the status table's figures
// and what a live view adds.
import type { StreamStatus } from '../ui/status-table.ts';
import type { ViewerSnapshot } from './viewer-metrics.ts';

/** A playing viewer, with its encoder's figures (a dynamic mount's viewers may have one each). */
export interface LiveViewer extends ViewerSnapshot {
  /** Its client's User-Agent, when it sent one. */
  userAgent: string | undefined;
  encoder: number | undefined;
  targetKbps: number | undefined;
  sentKbps: number | undefined;
}

/** What a stream counts over a run: in its summary and in its live figures alike. */
export interface StreamCounts {
  restarts: number;
  /** Its helper's ends by how they came (`SIGABRT`, `code_3`, `not_started`: helper-failure.ts). */
  helperExits: Record<string, number>;
  /** Error responses and connections the helper closed, by reason. */
  rejected: Record<string, number>;
  /** Viewer feedback corrected or dropped, by reason. */
  feedbackIssues: Record<string, number>;
}

/** A stream as it stands, for the HTTP API, the dashboard and /metrics. */
export interface StreamLive extends StreamStatus, StreamCounts {
  /** Each running encoder's setting, lowest first (a dynamic mount's is above its target: encoder-gain.ts). */
  appliedKbps: number[];
  /** Frames sent since the run started, as the `frame` records count them. */
  framesTotal: number;
  /** The viewers playing now. */
  viewerList: LiveViewer[];
}
