// What a viewer's feedback is, as the status table, the metrics and the report name it, and what
// steers its bitrate: the server's own send queue towards a TCP viewer (every 250 ms), TWCC
// feedback (about every frame), or receiver reports at their measured cadence.
export type SignalKind = 'twcc' | 'tcp-queue' | 'rr';

/** A signal this recent speaks for the viewer's path: a poorer one beside it (receiver reports
 *  beside TWCC, which comes about once a frame) is then ignored. */
export const SIGNAL_STALE_MS = 1_000;

export interface SignalSources {
  /** ms since this viewer's last TWCC feedback, if it ever sent one. */
  twccAgeMs: number | undefined;
  /** A viewer interleaved in its RTSP connection has a send queue the server samples. */
  tcp: boolean;
  reports: number;
}

/** The richest signal the viewer gives (src/control/viewer-path.ts); undefined while it gives none. */
export function signalKind({ twccAgeMs, tcp, reports }: SignalSources): SignalKind | undefined {
  if (tcp) return 'tcp-queue';
  if (twccAgeMs !== undefined && twccAgeMs <= SIGNAL_STALE_MS) return 'twcc';
  return reports > 0 ? 'rr' : undefined;
}

/** `twcc`, `tcp-queue`, `rr 5.0 s` / `rr 100 ms`: the kind, and a report viewer's cadence. */
export function signalLabel(kind: SignalKind | undefined, cadenceMs: number | undefined): string {
  if (kind === undefined) return 'none';
  if (kind !== 'rr' || cadenceMs === undefined) return kind;
  return cadenceMs >= 1_000 ? `rr ${(cadenceMs / 1000).toFixed(1)} s` : `rr ${Math.round(cadenceMs)} ms`;
}
