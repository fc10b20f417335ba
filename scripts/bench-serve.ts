// Serving figures for six mounts: time from a warm `npm start` to the first decoded frame,
// helper CPU idle and with one viewer each, supervisor CPU and memory.
//   npm run bench:serve [-- --seconds 10]
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { findHelpers, portRange, waitFor } from './lib/processes.ts';
import { cpuPercent, sampleProcess, type ProcSample } from '../src/metrics/process-stats.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { round } from '../src/metrics/round.ts';
import { saveBenchResults } from './lib/save-results.ts';

const PORT = 18554;
const MOUNTS = 6;
const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' } } });
const seconds = Number(values.seconds);
if (!(seconds > 0)) throw new TypeError(`--seconds must be a number above 0, got ${JSON.stringify(values.seconds)}`);

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
}

async function measure(pids: number[], windowS: number): Promise<Map<number, { cpuPct: number; rssMiB: number }>> {
  const before = new Map<number, ProcSample>(pids.map((pid) => [pid, sampleProcess(pid)]));
  await sleep(windowS * 1000);
  return new Map(
    pids.map((pid) => {
      const after = sampleProcess(pid);
      return [pid, { cpuPct: cpuPercent(before.get(pid)!, after), rssMiB: after.rssKiB / 1024 }];
    }),
  );
}

const started = performance.now();
const server = execa('npm', ['start', '--', '--port', String(PORT), '--quiet'], { reject: false, all: true, cleanup: true });
let output = '';
server.all?.on('data', (chunk: Buffer) => (output += chunk.toString()));
await waitFor(() => /RTSP server ready/.test(output), 120_000, 'the server to be ready');
const readyS = (performance.now() - started) / 1000;
const firstFrame = await execa('ffmpeg', ['-v', 'error', '-rtsp_transport', 'tcp', '-i', `rtsp://127.0.0.1:${PORT}/video1`, '-frames:v', '1', '-f', 'null', '-'], { reject: false });
const firstFrameS = (performance.now() - started) / 1000;
if (firstFrame.exitCode !== 0) throw new Error(`ffmpeg could not decode a frame: ${firstFrame.stderr}`);

const helpers = findHelpers(portRange(PORT + 1, MOUNTS)).sort((a, b) => a.port - b.port);
const supervisorPid = Number((await execa('pgrep', ['-f', `src/cli.ts --port ${PORT}`])).stdout.split('\n')[0]);
const pids = [supervisorPid, ...helpers.map((helper) => helper.pid)];

await sleep(3_000); // let the first viewer's media stop
const idle = await measure(pids, seconds);
const viewers = helpers.map((helper) =>
  execa('ffmpeg', ['-nostdin', '-v', 'error', '-rtsp_transport', 'tcp', '-i', `rtsp://127.0.0.1:${PORT}/video${helper.port - PORT}`, '-t', String(seconds + 6), '-f', 'null', '-'], { reject: false }),
);
await sleep(3_000);
const viewed = await measure(pids, seconds);
for (const [i, viewer] of (await Promise.all(viewers)).entries()) {
  if (viewer.exitCode !== 0) throw new Error(`viewer of mount ${i + 1} failed (exit ${viewer.exitCode}): ${viewer.stderr}`);
}
server.kill('SIGTERM');
await server;

const rows = pids.map((pid, i) => ({
  process: i === 0 ? 'supervisor' : `helper video${helpers[i - 1]!.port - PORT}`,
  idle_cpu_pct: round(idle.get(pid)!.cpuPct, 1),
  one_viewer_cpu_pct: round(viewed.get(pid)!.cpuPct, 1),
  rss_mib: round(viewed.get(pid)!.rssMiB, 1),
}));
const results = {
  date: new Date().toISOString(),
  window_s: seconds,
  ready_s: round(readyS, 2),
  first_frame_s: round(firstFrameS, 2),
  helpers_mean_idle_cpu_pct: round(mean(rows.slice(1).map((row) => row.idle_cpu_pct)), 1),
  helpers_mean_one_viewer_cpu_pct: round(mean(rows.slice(1).map((row) => row.one_viewer_cpu_pct)), 1),
  processes: rows,
};
console.table(rows);
console.log(`warm npm start -> server ready: ${results.ready_s} s; -> first decoded frame at a client: ${results.first_frame_s} s`);
saveBenchResults('serve', results);
