// What the controller learns about a dynamic mount, already in its own units: the checked
// feedback of its viewers (src/feedback/), send queues, bytes sent, viewers coming and going,
// with the run's clock. A viewer counts from its first signal; it leaves when its session ends.
// Times are ms since the run started.
/** A frame's trip as TWCC feedback tells it: sent (the run's clock) and arrived (the viewer's
 *  clock: only differences mean anything), ms; the bytes of it that arrived. */
export interface FrameTrip {
  sendMs: number;
  arrivalMs: number;
  bytes: number;
}

export type Observation =
  | { kind: 'left'; viewer: string; tMs: number }
  | {
      kind: 'report';
      viewer: string;
      tMs: number;
      /** Absent until the viewer has echoed one of our sender reports, or when it did not check out. */
      rttMs: number | undefined;
      /** Lost since the viewer's previous report, 0..1; absent when its counters said nothing true. */
      loss: number | undefined;
      /** No figure of it had to be corrected: it may show a clean path. */
      trusted: boolean;
    }
  /** A TCP viewer's send queue; with the bytes sent so far, what it took between two samples is exact. */
  | { kind: 'queue'; viewer: string; tMs: number; unsentBytes: number; bytesSent?: number }
  | {
      kind: 'twcc';
      viewer: string;
      tMs: number;
      /** Packets the feedback reports on that we sent, and of those the ones that never arrived. */
      packets: number;
      lost: number;
      groups: readonly FrameTrip[];
    }
  | { kind: 'sent'; tMs: number; sentKbps: number };
