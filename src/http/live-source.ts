// What the HTTP side reads of the running server: each stream with its figures as they stand, the
// front door's counters, and each helper's process. Read on demand, never pushed.
import type { FrontDoorCounters } from '../front-door/counters.ts';
import type { StreamLive } from '../metrics/stream-live.ts';
import type { StreamSpec } from '../streams/plan.ts';

export interface LiveStream {
  spec: StreamSpec;
  /** The public RTSP URL (through the front door). */
  url: string;
  live: StreamLive;
  /** The helper's pid while it runs. */
  helperPid: number | undefined;
}

export interface LiveSource {
  streams(): LiveStream[];
  frontDoor(): FrontDoorCounters;
  /** Seconds since the run started (the metrics' clock). */
  elapsedS(): number;
}
