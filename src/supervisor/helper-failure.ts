// What one end of a helper leaves to act on, as facts: how it ended, why the supervisor killed it
// when it did, what it said was wrong when it never got ready, the request its crash record named,
// and the fatal message its log ended with; and the one line that tells an operator all of it.
import type { CrashRequest, HelperEvent } from '../helper/events.ts';
import { lastFatalMessage } from '../helper/fatal-message.ts';
import { describeExit, type HelperExit } from './helper-process.ts';

export interface HelperFailure {
  /** The signal's name (`SIGABRT`), `code_3`, or `not_started`: a handful of values (a label in /metrics). */
  exit: string;
  /** For people: `was killed by SIGABRT`, `exited with code 3`. */
  lastExit: string;
  /** Why the supervisor killed it itself (`watchdog: no heartbeat for 5 s`, `not ready in time`). */
  reason?: string;
  /** The last `error` record of a run that never got ready (`pipeline: no element "x264enc"`): why it could not start. */
  startError?: string;
  /** The request its crash record named: the one it was serving, or the last one begun. */
  request?: CrashRequest;
  /** The last fatal message of its stderr (fatal-message.ts), e.g. the assertion that aborted it. */
  fatalMessage?: string;
}

export interface FailureEvidence {
  killReason: string | undefined;
  /** Its last `error` record, when it never got ready (a later one is about a viewer or a command, not its end). */
  startError: Extract<HelperEvent, { type: 'error' }> | undefined;
  crash: Extract<HelperEvent, { type: 'crash' }> | undefined;
  /** Its last stderr lines, oldest first. */
  stderrTail: readonly string[];
}

export function exitLabel(exit: HelperExit): string {
  if (exit.spawnError) return 'not_started';
  return exit.signal ?? `code_${exit.exitCode}`;
}

export function helperFailure(exit: HelperExit, evidence: FailureEvidence): HelperFailure {
  const fatalMessage = lastFatalMessage(evidence.stderrTail);
  return {
    exit: exitLabel(exit),
    lastExit: describeExit(exit),
    ...(evidence.killReason === undefined ? {} : { reason: evidence.killReason }),
    ...(evidence.startError === undefined
      ? {}
      : { startError: `${evidence.startError.code}: ${evidence.startError.message}` }),
    ...(evidence.crash?.request === undefined ? {} : { request: evidence.crash.request }),
    ...(fatalMessage === undefined ? {} : { fatalMessage }),
  };
}

/** `127.0.0.1:34070`, `[::1]:34070`, or the client's number when its address is unknown. */
export function clientText(request: CrashRequest): string | undefined {
  if (request.address === undefined) return request.clientId === undefined ? undefined : `client ${request.clientId}`;
  const host = request.address.includes(':') ? `[${request.address}]` : request.address;
  return request.port === undefined ? host : `${host}:${request.port}`;
}

/** `serving SETUP "rtsp://…" (Transport "…") from 127.0.0.1:34070`; text a client chose is quoted, so control characters reach no terminal. */
function requestText(request: CrashRequest): string {
  const client = clientText(request);
  return [
    request.serving ? 'serving' : 'last request',
    request.method ?? 'a request',
    ...(request.url === undefined ? [] : [JSON.stringify(request.url)]),
    ...(request.transport === undefined ? [] : [`(Transport ${JSON.stringify(request.transport)})`]),
    ...(client === undefined ? [] : [`from ${client}`]),
  ].join(' ');
}

/** One line: `helper was killed by SIGABRT after 3.2 s, serving SETUP "…" from 127.0.0.1:34070, its log said "…"`. */
export function failureText(failure: HelperFailure, uptimeMs: number): string {
  return [
    `helper ${failure.lastExit} after ${(uptimeMs / 1000).toFixed(1)} s${failure.reason === undefined ? '' : ` (${failure.reason})`}`,
    ...(failure.startError === undefined ? [] : [`it said ${JSON.stringify(failure.startError)}`]),
    ...(failure.request === undefined ? [] : [requestText(failure.request)]),
    ...(failure.fatalMessage === undefined ? [] : [`its log said ${JSON.stringify(failure.fatalMessage)}`]),
  ].join(', ');
}
