// Small runs for the report tests: records as the server writes them (docs/metrics.md).
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const HEADER = {
  type: 'header',
  version: 1,
  started_at: '2026-11-25T10:00:00.000Z',
  options: {},
  streams: [
    {
      number: 1,
      name: 'video1',
      mount: '/video1',
      mode: 'static',
      file: 'videos/a.mp4',
      helperPort: 1,
      startBitrateKbps: 5000,
      picture: { width: 640, height: 480, fps: 30 },
    },
    {
      number: 2,
      name: 'video2',
      mount: '/video2',
      mode: 'dynamic',
      file: 'videos/a.mp4',
      helperPort: 2,
      startBitrateKbps: 800,
      picture: { width: 640, height: 480, fps: 30 },
    },
    {
      number: 3,
      name: 'video3',
      mount: '/video3',
      mode: 'static',
      file: 'videos/b.mp4',
      helperPort: 3,
      startBitrateKbps: 5000,
      picture: { width: 640, height: 480, fps: 30 },
    },
    {
      number: 4,
      name: 'video4',
      mount: '/video4',
      mode: 'dynamic',
      file: 'videos/b.mp4',
      helperPort: 4,
      startBitrateKbps: 800,
      picture: { width: 640, height: 480, fps: 30 },
    },
  ],
};

const frame = (stream: string, tMs: number, framesTotal: number, latency: number, jitter: number) => ({
  type: 'frame',
  stream,
  t_ms: tMs,
  latency_ms: latency,
  interval_ms: 33,
  jitter_ms: jitter,
  frames_total: framesTotal,
  bytes: 1000,
  key: false,
});

/** video1 (static, udp viewer with reports) and video2 (dynamic, tcp viewer without reports) watched for 3 s. */
export function watchedRecords(): object[] {
  return [
    HEADER,
    { type: 'client', stream: 'video1', t_ms: 100, event: 'connected', client_id: 1, address: '127.0.0.1' },
    { type: 'client', stream: 'video2', t_ms: 120, event: 'connected', client_id: 1, address: '127.0.0.1' },
    { type: 'bitrate', stream: 'video1', t_ms: 200, bitrate_kbps: 5000 },
    { type: 'bitrate', stream: 'video2', t_ms: 210, bitrate_kbps: 800 },
    frame('video1', 300, 1, 4, 0),
    frame('video1', 700, 2, 2, 1),
    frame('video2', 400, 1, 6, 0),
    { type: 'window', stream: 'video1', t_ms: 990, fps: 2, encoded_kbps: 100 },
    { type: 'stats', stream: 'video1', t_ms: 1100, sent_kbps: 100, bytes_sent: 1, packets_sent: 1 },
    { type: 'stats', stream: 'video1', t_ms: 1600, sent_kbps: 200, bytes_sent: 1, packets_sent: 1 },
    frame('video1', 1500, 3, 3, 2),
    { type: 'control', stream: 'video2', t_ms: 1500, target_kbps: 1200, previous_kbps: 800, reason: 'probe' },
    { type: 'bitrate', stream: 'video2', t_ms: 1700, bitrate_kbps: 1200, requested_kbps: 1200 },
    {
      type: 'rtcp',
      stream: 'video1',
      t_ms: 1800,
      viewer: 'client:1',
      address: '127.0.0.1',
      transport: 'udp',
      reports: 1,
      jitter_ms: 0.3,
      fraction_lost: 0,
    },
    { type: 'queue', stream: 'video2', t_ms: 1900, viewer: 'client:1', address: '127.0.0.1', unsent_bytes: 0 },
    frame('video2', 2500, 2, 8, 3),
    {
      type: 'rtcp',
      stream: 'video1',
      t_ms: 2800,
      viewer: 'client:1',
      address: '127.0.0.1',
      transport: 'udp',
      reports: 2,
      rtt_ms: 5,
      jitter_ms: 0.4,
      fraction_lost: 0.25,
    },
    { type: 'end', t_ms: 3200 },
  ];
}

/** video2 (dynamic) with two viewers, an encoder each (1 from the start, 2 from 1 s to 2.5 s). */
export function twoEncoderRecords(): object[] {
  return [
    HEADER,
    { type: 'bitrate', stream: 'video2', t_ms: 100, encoder: 1, bitrate_kbps: 800 },
    { type: 'stats', stream: 'video2', t_ms: 900, encoder: 1, sent_kbps: 700, bytes_sent: 1, packets_sent: 1 },
    { type: 'bitrate', stream: 'video2', t_ms: 1100, encoder: 2, bitrate_kbps: 800 },
    {
      type: 'control',
      stream: 'video2',
      t_ms: 1200,
      encoder: 1,
      target_kbps: 2000,
      previous_kbps: 800,
      reason: 'probe',
    },
    { type: 'bitrate', stream: 'video2', t_ms: 1300, encoder: 1, bitrate_kbps: 2000, requested_kbps: 2000 },
    { type: 'stats', stream: 'video2', t_ms: 1900, encoder: 1, sent_kbps: 1900, bytes_sent: 2, packets_sent: 2 },
    { type: 'stats', stream: 'video2', t_ms: 1950, encoder: 2, sent_kbps: 600, bytes_sent: 1, packets_sent: 1 },
    { type: 'control', stream: 'video2', t_ms: 2100, encoder: 2, target_kbps: 500, previous_kbps: 800, reason: 'loss' },
    { type: 'stats', stream: 'video2', t_ms: 2500, encoder: 2, sent_kbps: 500, bytes_sent: 2, packets_sent: 2 },
    { type: 'stats', stream: 'video2', t_ms: 2900, encoder: 1, sent_kbps: 2000, bytes_sent: 3, packets_sent: 3 },
    { type: 'end', t_ms: 3200 },
  ];
}

export const SUMMARY = {
  version: 1,
  started_at: '2026-11-25T10:00:00.000Z',
  duration_s: 3.2,
  streams: [
    {
      stream: 'video1',
      mode: 'static',
      file: 'videos/a.mp4',
      frames: 3,
      latency_ms: { mean: 3, p50: 3, p95: 4 },
      jitter_ms: { mean: 1, p50: 1, p95: 2 },
      interval_ms: {},
      mean_sent_kbps: 150,
      restarts: 0,
      bad_records: 0,
      viewers: [
        {
          key: 'client:1',
          transport: 'udp',
          reports: 2,
          rtt: { mean: 5, p50: 5, p95: 5 },
          jitter: {},
          mean_fraction_lost: 0.125,
          signal_label: 'rr 5.0 s',
          feedback_issues: { lost_negative: 1 },
        },
      ],
    },
    {
      stream: 'video2',
      mode: 'dynamic',
      file: 'videos/a.mp4',
      frames: 2,
      latency_ms: { mean: 7, p50: 7, p95: 8 },
      jitter_ms: { mean: 1.5, p50: 1, p95: 3 },
      interval_ms: {},
      mean_sent_kbps: 90,
      restarts: 0,
      bad_records: 0,
      viewers: [],
    },
    {
      stream: 'video3',
      mode: 'static',
      file: 'videos/b.mp4',
      frames: 0,
      latency_ms: {},
      jitter_ms: {},
      interval_ms: {},
      restarts: 0,
      bad_records: 0,
      viewers: [],
    },
    {
      stream: 'video4',
      mode: 'dynamic',
      file: 'videos/b.mp4',
      frames: 0,
      latency_ms: {},
      jitter_ms: {},
      interval_ms: {},
      restarts: 0,
      bad_records: 0,
      viewers: [],
    },
  ],
};

export const ndjson = (records: readonly object[]): string =>
  records.map((record) => JSON.stringify(record)).join('\n') + '\n';

/** A temp run dir holding metrics.ndjson (the given text) and, when given, summary.json. */
export async function runDir(metrics: string, summary?: object): Promise<string> {
  const dir = join(await mkdtemp(join(tmpdir(), 'report-test-')), '2026-11-25T10-00-00');
  await mkdir(dir);
  await writeFile(join(dir, 'metrics.ndjson'), metrics);
  if (summary !== undefined) await writeFile(join(dir, 'summary.json'), JSON.stringify(summary));
  return dir;
}
