// What the server recorded for one mount (its metrics.ndjson), parsed once into typed series on
// the bench's clock (ms since the epoch: the header's started_at + each record's t_ms).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TimedValue {
  atMs: number;
  kbps: number;
}

export interface SentFrame {
  atMs: number;
  /** Where the frame was in its file; undefined in older records. */
  fileMs?: number;
}

export interface MountSeries {
  /** Each frame the payloader sent. */
  frames: SentFrame[];
  /** `stats` sent_kbps, one per second while the mount has viewers. */
  sent: TimedValue[];
  /** Controller targets (`control` records), when the server writes them. */
  target: TimedValue[];
  /** Bitrates the encoder applied (`bitrate` records, the helper's acknowledgement). */
  applied: TimedValue[];
  /** The transport of each viewer that played (`client` records), in order. */
  viewerTransports: string[];
}

type Json = Record<string, unknown>;

function numberAt(record: Json, ...keys: string[]): number | undefined {
  for (const key of keys) if (typeof record[key] === 'number') return record[key];
  return undefined;
}

export function emptySeries(): MountSeries {
  return { frames: [], sent: [], target: [], applied: [], viewerTransports: [] };
}

/** Lines of metrics.ndjson; a truncated last line (a crash) is skipped. */
export function parseServerMetrics(text: string): Map<string, MountSeries> {
  const streams = new Map<string, MountSeries>();
  let startedAtMs: number | undefined;
  for (const line of text.split('\n')) {
    let record: Json;
    try {
      record = JSON.parse(line) as Json;
    } catch {
      continue;
    }
    if (record.type === 'header' && typeof record.started_at === 'string') startedAtMs = Date.parse(record.started_at);
    const tMs = numberAt(record, 't_ms');
    if (startedAtMs === undefined || tMs === undefined || typeof record.stream !== 'string') continue;
    const series = streams.get(record.stream) ?? emptySeries();
    streams.set(record.stream, series);
    const atMs = startedAtMs + tMs;
    const add = (list: TimedValue[], kbps: number | undefined): void => {
      if (kbps !== undefined) list.push({ atMs, kbps });
    };
    if (record.type === 'frame') {
      const fileMs = numberAt(record, 'file_ms');
      series.frames.push({ atMs, ...(fileMs !== undefined ? { fileMs } : {}) });
    } else if (record.type === 'stats') add(series.sent, numberAt(record, 'sent_kbps'));
    else if (record.type === 'bitrate') add(series.applied, numberAt(record, 'bitrate_kbps'));
    else if (record.type === 'control') add(series.target, numberAt(record, 'target_kbps'));
    else if (record.type === 'client' && record.event === 'playing' && typeof record.transport === 'string')
      series.viewerTransports.push(record.transport);
  }
  return streams;
}

/** When the server's run started (its header's started_at), ms since the epoch. */
export function serverStartedAtMs(runDir: string): number {
  const header = JSON.parse(readFileSync(join(runDir, 'metrics.ndjson'), 'utf8').split('\n', 1)[0]!) as Json;
  if (typeof header.started_at !== 'string') throw new Error(`${runDir}/metrics.ndjson: no started_at in its header`);
  return Date.parse(header.started_at);
}

export function readServerMetrics(runDir: string): Map<string, MountSeries> {
  return parseServerMetrics(readFileSync(join(runDir, 'metrics.ndjson'), 'utf8'));
}
