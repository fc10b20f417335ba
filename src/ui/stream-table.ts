// The table printed once the server is up: what is served where.
import { basename } from 'node:path';
import type { StreamSpec } from '../streams/plan.ts';
import { pictureText } from '../streams/picture.ts';
import type { StreamState } from '../supervisor/helper-supervisor.ts';
import { alignColumns } from './columns.ts';

export interface TableRow {
  stream: StreamSpec;
  state: StreamState;
}

export interface TableContext {
  /** Host to print in URLs: one a client can reach. */
  urlHost: string;
  port: number;
  minBitrateKbps: number;
  maxBitrateKbps: number;
}

export function urlHostPart(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function bitrateText(stream: StreamSpec, context: TableContext): string {
  return stream.mode === 'static'
    ? `${stream.startBitrateKbps} kbit/s`
    : `starts ${stream.startBitrateKbps}, ${context.minBitrateKbps}..${context.maxBitrateKbps} kbit/s`;
}

function stateText(state: StreamState): string {
  switch (state.kind) {
    case 'running':
      return 'running';
    case 'starting':
      return 'starting';
    case 'restarting':
      return 'restarting';
    case 'failing':
      return `failing: ${state.failures} failures in a row, the last: ${state.lastExit}`;
    case 'failed':
      return `FAILED: ${state.reason}`;
    case 'stopped':
      return 'stopped';
  }
}

export function formatStreamTable(rows: readonly TableRow[], context: TableContext): string {
  const host = urlHostPart(context.urlHost);
  const header = ['mount', 'mode', 'URL', 'file', 'sends', 'bitrate', 'direct helper URL', 'state'];
  const body = rows.map(({ stream, state }) => [
    stream.name,
    stream.mode,
    `rtsp://${host}:${context.port}${stream.mount}`,
    stream.uri === undefined ? basename(stream.file) : stream.file,
    `${pictureText(stream.picture)} H.264, ${stream.audioText}`,
    bitrateText(stream, context),
    `rtsp://${host}:${stream.helperPort}${stream.mount}`,
    stateText(state),
  ]);
  return alignColumns([header, ...body])
    .map((line) => `  ${line}`)
    .join('\n');
}
