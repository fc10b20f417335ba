// npm run bench:probe: the probe's own CPU per viewer, 640x480 at 30 fps (the stamped sample served
// by `npm start` on loopback), with SSIM and PSNR on every frame, on every third, and without a
// reference; steady state (from 8 s to the end, after the reference is loaded and the stream
// runs), probe (node) and its decoding client (probe-reader) together, one probe at a time.
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { cpuPercent, sampleProcess, type ProcSample } from '../src/metrics/process-stats.ts';
import { round } from '../src/metrics/round.ts';
import type { ProbeSummary } from '../src/probe/summary.ts';
import { ensureStampedSample } from '../src/stamp/stamped-sample.ts';
import { findProcesses } from './lib/processes.ts';
import { saveBenchResults } from './lib/save-results.ts';
import { REPO_ROOT, startServer } from './lib/server.ts';

const PORT = 19560;
const SECONDS = 30;
const STEADY_FROM_S = 8;
const URL = `rtsp://127.0.0.1:${PORT}/video1`;

/** The probe-reader playing URL, once it runs. */
function readerPid(): number | undefined {
  return findProcesses((argv) => argv[0]?.endsWith('probe-reader') === true && argv.includes(URL))[0]?.pid;
}

async function measure(mode: string, args: string[]) {
  const probe = execa(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/probe/cli.ts',
      URL,
      '--seconds',
      String(SECONDS),
      '--json',
      '--frames',
      `out/bench-probe-${mode.replaceAll(' ', '-')}.ndjson`,
      ...args,
    ],
    { cwd: REPO_ROOT, reject: false },
  );
  await sleep(STEADY_FROM_S * 1000);
  const reader = readerPid();
  if (reader === undefined) throw new Error(`${mode}: no probe-reader running after ${STEADY_FROM_S} s`);
  const before: ProcSample[] = [sampleProcess(probe.pid!), sampleProcess(reader)];
  await sleep((SECONDS - STEADY_FROM_S - 1) * 1000);
  const after: ProcSample[] = [sampleProcess(probe.pid!), sampleProcess(reader)];
  const result = await probe;
  if (result.exitCode !== 0) throw new Error(`${mode}: probe exit code ${result.exitCode}: ${result.stderr}`);
  const summary = JSON.parse(result.stdout) as ProbeSummary;
  const [nodeCpu, readerCpu] = [cpuPercent(before[0]!, after[0]!), cpuPercent(before[1]!, after[1]!)];
  return {
    mode,
    cpu_pct_of_one_core: round(nodeCpu + readerCpu, 1),
    node_cpu_pct: round(nodeCpu, 1),
    reader_cpu_pct: round(readerCpu, 1),
    node_rss_mib: round(after[0]!.rssKiB / 1024, 0),
    frames_decoded: summary.frames_decoded,
    frames_scored: summary.frames_scored,
    e2e_delay_p95_ms: summary.e2e_delay_p95_ms,
    stall_count: summary.stall_count,
    frames_unique_pct: summary.frames_unique_pct,
  };
}

const clip = await ensureStampedSample(join(REPO_ROOT, 'videos'), (file) => console.log(`generating ${file}`));
const server = startServer([
  '--videos',
  clip,
  '--port',
  String(PORT),
  '--helper-ports',
  String(PORT + 1),
  '--out',
  'out/bench-probe-server',
  '--quiet',
]);
try {
  await server.waitForOutput(/RTSP server ready/, 60_000);
  const modes = [];
  for (const [mode, args] of [
    ['ssim every frame', ['--reference', clip]],
    ['ssim every 3rd frame', ['--reference', clip, '--score-every', '3']],
    ['no reference', []],
  ] as const) {
    modes.push(await measure(mode, [...args]));
    console.log(modes.at(-1));
  }
  console.table(modes);
  saveBenchResults('probe', {
    date: new Date().toISOString(),
    seconds: SECONDS,
    steady_from_s: STEADY_FROM_S,
    picture: '640x480 at 30 fps',
    modes,
  });
} finally {
  server.process.kill('SIGTERM');
  await server.process;
}
