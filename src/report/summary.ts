// summary.json (written at a clean stop, src/serve/run-metrics.ts), parsed into what the report
// shows. Missing figures stay undefined; the table prints them as "-".
import { num, str } from './records.ts';

export interface Quantiles {
  mean: number | undefined;
  p95: number | undefined;
}

export interface ViewerSummary {
  key: string;
  transport: string | undefined;
  reports: number | undefined;
  rtt: Quantiles;
  meanFractionLost: number | undefined;
  /** `twcc`, `tcp-queue`, `rr 5.0 s`, `none`; absent in a summary from before signals were named. */
  signal: string | undefined;
  /** Feedback corrected or dropped, all reasons. */
  feedbackIssues: number | undefined;
}

export interface StreamSummary {
  stream: string;
  mode: string;
  file: string;
  frames: number | undefined;
  latencyMs: Quantiles;
  jitterMs: Quantiles;
  meanSentKbps: number | undefined;
  restarts: number | undefined;
  viewers: ViewerSummary[];
}

export interface RunSummary {
  startedAt: string | undefined;
  durationS: number | undefined;
  streams: StreamSummary[];
}

type Raw = Record<string, unknown>;

const obj = (value: unknown): Raw =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Raw) : {};
const list = (value: unknown): Raw[] => (Array.isArray(value) ? value.map(obj) : []);
const quantiles = (value: unknown): Quantiles => ({ mean: num(obj(value).mean), p95: num(obj(value).p95) });

/** Throws a TypeError when `raw` is not a summary object at all. */
export function parseSummary(raw: unknown): RunSummary {
  if (typeof raw !== 'object' || raw === null || !Array.isArray((raw as Raw).streams)) {
    throw new TypeError(
      `summary.json: expected an object with a streams list, got ${JSON.stringify(raw)?.slice(0, 80)}`,
    );
  }
  const summary = raw as Raw;
  return {
    startedAt: str(summary.started_at),
    durationS: num(summary.duration_s),
    streams: list(summary.streams).map((stream) => ({
      stream: str(stream.stream) ?? '?',
      mode: str(stream.mode) ?? '?',
      file: str(stream.file) ?? '',
      frames: num(stream.frames),
      latencyMs: quantiles(stream.latency_ms),
      jitterMs: quantiles(stream.jitter_ms),
      meanSentKbps: num(stream.mean_sent_kbps),
      restarts: num(stream.restarts),
      viewers: list(stream.viewers).map((viewer) => ({
        key: str(viewer.key) ?? '?',
        transport: str(viewer.transport),
        reports: num(viewer.reports),
        rtt: quantiles(viewer.rtt),
        meanFractionLost: num(viewer.mean_fraction_lost),
        signal: str(viewer.signal_label),
        feedbackIssues:
          viewer.feedback_issues === undefined
            ? undefined
            : Object.values(obj(viewer.feedback_issues)).reduce<number>((sum, count) => sum + (num(count) ?? 0), 0),
      })),
    })),
  };
}
