// The live status: one line per stream, refreshed about once a second.
import type { SourceState } from '../helper/events.ts';
import type { StreamMode } from '../streams/plan.ts';
import { clientText, type HelperFailure } from '../supervisor/helper-failure.ts';
import type { StreamState } from '../supervisor/helper-supervisor.ts';
import { alignColumns } from './columns.ts';

/** The last end of a stream's helper: its facts, and when (ms since the run started). */
export type LastExit = HelperFailure & { tMs: number };

export interface StreamStatus {
  name: string;
  mode: StreamMode;
  state: StreamState['kind'];
  viewers: number;
  /** Each running encoder's target, lowest first (the start bitrate while none runs). */
  targetsKbps: number[];
  /** What all its encoders sent over the last second. */
  sentKbps: number | undefined;
  fps: number | undefined;
  latencyMs: number | undefined;
  /** Worst viewer's; undefined while no viewer has reported one. */
  rttMs: number | undefined;
  lossPct: number | undefined;
  /** Viewers that have not sent a receiver report yet. */
  silentViewers: number;
  /** What the playing viewers' feedback is (`twcc`, `tcp-queue`, `rr 5.0 s`), each kind once. */
  signals: string[];
  /** Times its helper ended (crashed, was killed, failed to start) since the run started. */
  helperExitCount: number;
  lastExit: LastExit | undefined;
  /** A live source's, as its helper last said; undefined for a file. */
  source: SourceStatus | undefined;
}

export interface SourceStatus {
  state: SourceState;
  /** The last error while connecting or lost; undefined once live. */
  error: string | undefined;
  /** As it comes in, over the last second; undefined while it is not pulled. */
  fps: number | undefined;
  /** Its compressed video, kbit/s, over the last second. */
  kbps: number | undefined;
  width: number | undefined;
  height: number | undefined;
  reconnects: number;
}

const HEADER = [
  'stream',
  'mode',
  'state',
  'viewers',
  'bitrate kbit/s (target/sent)',
  'fps',
  'latency ms',
  'RTT ms',
  'loss %',
  'signal',
  'helper exits',
];

function number(value: number | undefined, digits = 0): string {
  return value === undefined ? '-' : value.toFixed(digits);
}

/** One target, or the lowest..highest of a mount whose viewers have encoders of their own. */
function targetText(targets: readonly number[]): string {
  if (targets.length === 0) return '-';
  const lowest = targets[0]!;
  const highest = targets.at(-1)!;
  return lowest === highest ? lowest.toFixed(0) : `${lowest.toFixed(0)}..${highest.toFixed(0)}`;
}

function rttText(status: StreamStatus): string {
  if (status.viewers === 0) return '-';
  if (status.rttMs === undefined) return 'no reports';
  const silent = status.silentViewers > 0 ? ` (+${status.silentViewers} silent)` : '';
  return `${status.rttMs.toFixed(1)}${silent}`;
}

function signalText(status: StreamStatus): string {
  return status.signals.length === 0 ? '-' : status.signals.join(', ');
}

/** `20, last SIGABRT from 127.0.0.1:34070`: how often, how the last one ended, whose request it was serving. */
function exitsText(status: StreamStatus): string {
  const last = status.lastExit;
  if (last === undefined) return '-';
  const client = last.request === undefined ? undefined : clientText(last.request);
  return `${status.helperExitCount}, last ${last.exit}${client === undefined ? '' : ` from ${client}`}`;
}

/** The helper's state, and a live source's: `running, source live 640x480 25 fps`. */
function stateText(status: StreamStatus): string {
  const source = status.source;
  if (source === undefined) return status.state;
  const size = source.width === undefined ? '' : ` ${source.width}x${source.height}`;
  const rate = source.fps === undefined || source.state !== 'live' ? '' : ` ${source.fps.toFixed(0)} fps`;
  return `${status.state}, source ${source.state}${source.state === 'live' ? `${size}${rate}` : ''}`;
}

export function statusRows(statuses: readonly StreamStatus[]): string[][] {
  return [
    HEADER,
    ...statuses.map((status) => [
      status.name,
      status.mode,
      stateText(status),
      String(status.viewers),
      `${targetText(status.targetsKbps)}/${number(status.sentKbps)}`,
      number(status.fps, 1),
      number(status.latencyMs, 1),
      rttText(status),
      status.lossPct === undefined ? '-' : status.lossPct.toFixed(1),
      signalText(status),
      exitsText(status),
    ]),
  ];
}

export function formatStatusTable(statuses: readonly StreamStatus[]): string {
  return alignColumns(statusRows(statuses)).join('\n');
}

/** A logfmt value: bare when it is one word, else quoted. */
function logfmtValue(value: string): string {
  return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
}

/** For a log that is not a terminal: one line per stream, logfmt (`key=value`, quoted when it has spaces). */
export function formatStatusLines(statuses: readonly StreamStatus[], elapsedS: number): string {
  return statuses
    .map((s) => {
      const fields: Array<[string, string]> = [
        ['viewers', String(s.viewers)],
        ['kbps', `${targetText(s.targetsKbps)}/${number(s.sentKbps)}`],
        ['fps', number(s.fps, 1)],
        ['latency_ms', number(s.latencyMs, 1)],
        ['rtt_ms', number(s.rttMs, 1)],
        ['silent_viewers', String(s.silentViewers)],
        ['loss_pct', s.lossPct === undefined ? '-' : s.lossPct.toFixed(1)],
        ['signal', signalText(s)],
        ['helper_exits', exitsText(s)],
      ];
      const pairs = fields.map(([key, value]) => `${key}=${logfmtValue(value)}`).join(' ');
      const source =
        s.source === undefined
          ? ''
          : ` source=${s.source.state}${s.source.error === undefined ? '' : ` source_error=${logfmtValue(s.source.error)}`}`;
      return `[${elapsedS.toFixed(0)} s] ${s.name} ${s.state}${source} ${pairs}`;
    })
    .join('\n');
}
