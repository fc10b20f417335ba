// The capacity schedule: steps of "seconds:kbit/s", parsed once, and what it implies (the
// capacity at a time, its mean over a run, the moments it drops).
import { UsageError } from '../../src/config/usage-error.ts';

export interface CapacityStep {
  tS: number;
  kbps: number;
}

/** RFC 8867 §5.1, variable available capacity with a single flow: 100 s in all. */
export const DEFAULT_SCHEDULE = '0:1000,40:2500,60:600,80:1000';
const MIN_KBPS = 50;
const MAX_KBPS = 1_000_000;

/** `0:1000,40:2500,...` → steps; a bad value gets a UsageError naming `--<option>` and quoting it. */
export function parseSchedule(raw: string, option = 'schedule'): CapacityStep[] {
  const fail = (why: string): never => {
    throw new UsageError(
      `--${option} ${why}, got ${JSON.stringify(raw)} (expected e.g. "${DEFAULT_SCHEDULE}": seconds:kbit/s, ...)`,
    );
  };
  if (raw.trim() === '') fail('is empty');
  const steps = raw.split(',').map((part) => {
    const match = /^\s*(\d+(?:\.\d+)?)\s*:\s*(\d+)\s*$/.exec(part);
    if (!match) return fail(`has a step ${JSON.stringify(part)} that is not seconds:kbit/s`);
    const step = { tS: Number(match[1]), kbps: Number(match[2]) };
    if (step.kbps < MIN_KBPS || step.kbps > MAX_KBPS)
      fail(`has a rate ${step.kbps} outside ${MIN_KBPS}..${MAX_KBPS} kbit/s`);
    return step;
  });
  if (steps[0]!.tS !== 0) fail('must start at 0 s');
  for (let i = 1; i < steps.length; i += 1) {
    if (steps[i]!.tS <= steps[i - 1]!.tS) fail(`must have increasing times (${steps[i - 1]!.tS} then ${steps[i]!.tS})`);
  }
  return steps;
}

/** Steps after the last one that starts before `durationS` have no effect: refused. */
export function checkScheduleFits(steps: readonly CapacityStep[], durationS: number, option = 'schedule'): void {
  const late = steps.find((step) => step.tS >= durationS);
  if (late) throw new UsageError(`--${option} has a step at ${late.tS} s, not before --duration ${durationS} s`);
}

export function capacityAt(steps: readonly CapacityStep[], tS: number): number {
  let kbps = steps[0]!.kbps;
  for (const step of steps) if (step.tS <= tS) kbps = step.kbps;
  return kbps;
}

/** Mean capacity over [0, durationS), kbit/s. */
export function meanCapacity(steps: readonly CapacityStep[], durationS: number): number {
  let kbits = 0;
  steps.forEach((step, i) => {
    const end = Math.min(steps[i + 1]?.tS ?? durationS, durationS);
    kbits += Math.max(0, end - step.tS) * step.kbps;
  });
  return kbits / durationS;
}

export interface CapacityDrop {
  /** The step of the schedule that drops. */
  step: number;
  tS: number;
  fromKbps: number;
  toKbps: number;
  /** When the schedule changes next (or the run ends): the window in which to settle. */
  untilS: number;
}

export function capacityDrops(steps: readonly CapacityStep[], durationS: number): CapacityDrop[] {
  return steps.flatMap((step, i) => {
    const previous = steps[i - 1];
    if (!previous || step.kbps >= previous.kbps) return [];
    return [
      {
        step: i,
        tS: step.tS,
        fromKbps: previous.kbps,
        toKbps: step.kbps,
        untilS: Math.min(steps[i + 1]?.tS ?? durationS, durationS),
      },
    ];
  });
}
