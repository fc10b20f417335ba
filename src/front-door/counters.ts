import type { AuthRefusal } from './auth.ts';
import type { ResponseStatus } from './responses.ts';

/** How many times each outcome happened since the front door started. */
export interface FrontDoorCounters {
  accepted: number;
  /** New connections closed at once because maxConnections were open, each of them answered at least once. */
  refused: number;
  /** Connections closed to make room for a new one: the oldest open one that had not sent a whole request. */
  evicted: number;
  options: number;
  redirects: number;
  /** 401: no, wrong or unchecked credentials, or right ones on an expired nonce (--auth). */
  unauthorized: number;
  /** Of those, wrong credentials: guesses, which the throttle counts (auth-throttle.ts). */
  authFailed: number;
  /** Of those, credentials not checked: their address had guessed wrong too often. */
  authThrottled: number;
  notFound: number;
  unavailable: number;
  badRequest: number;
  uriTooLong: number;
  tooLarge: number;
  versionNotSupported: number;
  /** Connections closed because they sent interleaved ($-framed) data. */
  interleaved: number;
  idleTimeouts: number;
  headerTimeouts: number;
}

export type CounterName = keyof FrontDoorCounters;

export const COUNTER_OF_STATUS: Readonly<Record<ResponseStatus, CounterName>> = {
  200: 'options',
  302: 'redirects',
  400: 'badRequest',
  401: 'unauthorized',
  404: 'notFound',
  413: 'tooLarge',
  414: 'uriTooLong',
  503: 'unavailable',
  505: 'versionNotSupported',
};

/** The refusals counted besides their 401: a client's first request has no credentials, and an expired nonce is no guess. */
export const COUNTER_OF_REFUSAL: Readonly<Partial<Record<AuthRefusal, CounterName>>> = {
  failed: 'authFailed',
  throttled: 'authThrottled',
};

export function zeroCounters(): FrontDoorCounters {
  return {
    accepted: 0,
    refused: 0,
    evicted: 0,
    options: 0,
    redirects: 0,
    unauthorized: 0,
    authFailed: 0,
    authThrottled: 0,
    notFound: 0,
    unavailable: 0,
    badRequest: 0,
    uriTooLong: 0,
    tooLarge: 0,
    versionNotSupported: 0,
    interleaved: 0,
    idleTimeouts: 0,
    headerTimeouts: 0,
  };
}
