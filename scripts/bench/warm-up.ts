// Before a bench's clock starts: every link carries its stream (media start takes seconds: an
// encoder, a decoder and the first key frame per viewer, on a small machine).
import { setTimeout as sleep } from 'node:timers/promises';
import { nowMs } from './clock.ts';
import { recentKbps, type TcSampler } from './probes/tc.ts';

export const WARM_UP_TIMEOUT_S = 30;

/** Seconds until each link carried at least a quarter of its capacity over the last second, or
 *  undefined when one had not after WARM_UP_TIMEOUT_S. */
export async function waitForStreams(
  samplers: readonly TcSampler[],
  capacitiesKbps: readonly number[],
): Promise<number | undefined> {
  const started = nowMs();
  while (nowMs() - started < WARM_UP_TIMEOUT_S * 1000) {
    if (samplers.every((sampler, i) => recentKbps(sampler.samples, 1_000) >= capacitiesKbps[i]! / 4))
      return (nowMs() - started) / 1000;
    await sleep(200);
  }
  return undefined;
}
