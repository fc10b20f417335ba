// What the HTTP side counts of its own answers: with --auth, the refusals that tell of guessing,
// as the front door counts its own (src/front-door/counters.ts).
import type { AuthRefusal } from '../front-door/auth.ts';

export interface HttpCounters {
  /** 401 for wrong credentials: guesses, which the throttle counts (src/front-door/auth-throttle.ts). */
  authFailed: number;
  /** 401 without checking the credentials: their address had guessed wrong too often. */
  authThrottled: number;
}

export type HttpCounterName = keyof HttpCounters;

/** A client's first request has no credentials, and an expired nonce is no guess: neither is counted. */
export const HTTP_COUNTER_OF_REFUSAL: Readonly<Partial<Record<AuthRefusal, HttpCounterName>>> = {
  failed: 'authFailed',
  throttled: 'authThrottled',
};

export function zeroHttpCounters(): HttpCounters {
  return { authFailed: 0, authThrottled: 0 };
}
