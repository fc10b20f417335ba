// Metrics budget: six streams at 30 fps with a viewer each for N minutes (default 10). Prints the
// supervisor's CPU for parsing and metrics (minute 2 to the end), its RSS at minute 2 and at the
// end, and metrics.ndjson's size per stream-minute.
//   npm run bench:metrics [-- --minutes 10]
import { mkdtempSync, realpathSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ffmpegViewer } from './lib/ffmpeg-viewer.ts';
import { startServer } from './lib/server.ts';
import { cpuPercent, sampleProcess } from '../src/metrics/process-stats.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { round } from '../src/metrics/round.ts';
import { saveBenchResults } from './lib/save-results.ts';

const PORT = 18654;
const MOUNTS = 6;
const WARMUP_S = 120;
const { values } = parseArgs({ options: { minutes: { type: 'string', default: '10' } } });
const minutes = Number(values.minutes);
if (!(minutes * 60 > WARMUP_S))
  throw new TypeError(`--minutes must be above ${WARMUP_S / 60}, got ${JSON.stringify(values.minutes)}`);

const out = mkdtempSync(join(tmpdir(), 'bench-metrics-'));
const server = startServer(['--port', String(PORT), '--out', out, '--quiet']);
await server.waitForOutput(/RTSP server ready/, 120_000);
const viewers = Array.from({ length: MOUNTS }, (_, i) =>
  ffmpegViewer(`rtsp://127.0.0.1:${PORT}/video${i + 1}`, { seconds: minutes * 60 + 30 }),
);
const pid = server.process.pid!;
await sleep(WARMUP_S * 1000);
const atWarmup = sampleProcess(pid);
await sleep((minutes * 60 - WARMUP_S) * 1000);
const atEnd = sampleProcess(pid);
server.process.kill('SIGTERM');
await server.process;
for (const viewer of viewers) viewer.kill('SIGTERM');
await Promise.all(viewers);

const runDir = realpathSync(join(out, 'latest'));
const ndjsonBytes = statSync(join(runDir, 'metrics.ndjson')).size;
const results = {
  date: new Date().toISOString(),
  minutes,
  streams: MOUNTS,
  supervisor_cpu_pct: round(cpuPercent(atWarmup, atEnd), 2),
  supervisor_rss_mib_at_2_min: round(atWarmup.rssKiB / 1024, 1),
  supervisor_rss_mib_at_end: round(atEnd.rssKiB / 1024, 1),
  rss_growth_pct: round(((atEnd.rssKiB - atWarmup.rssKiB) / atWarmup.rssKiB) * 100, 1),
  ndjson_kib_per_stream_minute: round(ndjsonBytes / 1024 / MOUNTS / minutes, 1),
};
console.log(results);
saveBenchResults('metrics', results);
