// Per encoder of a stream that ran several (a dynamic mount gives each viewer its own): its
// target, setting and sent bitrate per second, over the seconds it ran. Pure, fed by aggregate.ts.
import { round } from '../metrics/round.ts';

/** One second of one encoder of a stream that ran several. */
export interface EncoderBin {
  t_s: number;
  sent_kbps?: number;
  target_kbps?: number;
  applied_kbps?: number;
}

/** An encoder of a stream that ran more than one, over the seconds from its first record to its last. */
export interface EncoderSeries {
  encoder: number;
  bins: EncoderBin[];
}

/** Sum and count of one figure's values in a bin. */
export interface MeanAcc {
  sum: number;
  n: number;
}

/** Records that name no encoder: the stream ran one. */
export const ONLY_ENCODER = -1;

export interface EncoderAcc {
  /** [tMs, kbps] in record order. */
  targets: [number, number][];
  applied: [number, number][];
  firstMs: number;
  lastMs: number;
}

/** The encoder's accumulator, made on its first record; its span grows with each record. */
export function encoderAcc(encoders: Map<number, EncoderAcc>, encoder: number, tMs: number): EncoderAcc {
  let acc = encoders.get(encoder);
  if (acc === undefined) encoders.set(encoder, (acc = { targets: [], applied: [], firstMs: tMs, lastMs: tMs }));
  acc.firstMs = Math.min(acc.firstMs, tMs);
  acc.lastMs = Math.max(acc.lastMs, tMs);
  return acc;
}

/** The value of a step series in force at `atMs` (the last change at or before it). */
export function inForce(changes: readonly [number, number][], cursor: { i: number }, atMs: number): number | undefined {
  while (cursor.i < changes.length && changes[cursor.i]![0] <= atMs) cursor.i += 1;
  return cursor.i === 0 ? undefined : changes[cursor.i - 1]![1];
}

/** Its bins of `binMs`; `sentIn(index)` is what it sent in the bin of that index. */
export function finishEncoder(
  encoder: number,
  acc: EncoderAcc,
  binMs: number,
  sentIn: (index: number) => MeanAcc | undefined,
): EncoderSeries {
  acc.targets.sort((a, b) => a[0] - b[0]);
  acc.applied.sort((a, b) => a[0] - b[0]);
  const bins: EncoderBin[] = [];
  const targetCursor = { i: 0 };
  const appliedCursor = { i: 0 };
  for (let index = Math.floor(acc.firstMs / binMs); index <= Math.floor(acc.lastMs / binMs); index += 1) {
    const endMs = (index + 1) * binMs;
    const bin: EncoderBin = { t_s: index + 1 };
    const sent = sentIn(index);
    if (sent !== undefined) bin.sent_kbps = round(sent.sum / sent.n, 1);
    const target = inForce(acc.targets, targetCursor, endMs);
    if (target !== undefined) bin.target_kbps = target;
    const applied = inForce(acc.applied, appliedCursor, endMs);
    if (applied !== undefined) bin.applied_kbps = applied;
    bins.push(bin);
  }
  return { encoder, bins };
}
