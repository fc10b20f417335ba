// What the controller learns about a dynamic mount, already in its own units: the events of
// a helper (receiver reports, send queues, bytes sent, viewers coming and going) with the run's
// clock. A viewer counts from its first signal; it leaves when its session ends. Times are ms since the run started.

export type Observation =
  | { kind: 'left'; viewer: string; tMs: number }
  | {
      kind: 'report';
      viewer: string;
      tMs: number;
      /** Absent until the viewer has echoed one of our sender reports. */
      rttMs: number | undefined;
      /** RFC 3550 fraction lost since the viewer's previous report, 0..1. */
      fractionLost: number;
      /** Cumulative packets lost and extended highest sequence number received. */
      packetsLost: number;
      highestSeq: number;
    }
  | { kind: 'queue'; viewer: string; tMs: number; unsentBytes: number }
  | { kind: 'sent'; tMs: number; sentKbps: number };
