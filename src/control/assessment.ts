// What one signal says of a viewer's path, whatever its kind: overuse (with the capacity it
// shows), clean, or neither; and the figures a decision records.
export type SignalName = 'report' | 'queue' | 'twcc';
export type StepReason = 'loss' | 'delay' | 'queue' | 'probe' | 'hold' | 'draining';

/** What one signal said, in the figures the controller records with its decision. */
export interface Step {
  reason: StepReason;
  rttMs?: number;
  queueMs?: number;
  loss?: number;
  capacityKbps?: number;
}

export interface Assessment {
  overuse: boolean;
  overuseReason: 'loss' | 'delay' | 'queue';
  clean: boolean;
  capacityKbps: number | undefined;
  /** The queue to drain after a cut, ms at the capacity. */
  queueMs: number | undefined;
  figures: Omit<Step, 'reason'>;
}
