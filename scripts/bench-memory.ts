// A helper's memory under churn: one helper (a static and a dynamic mount with an encoder per
// viewer), a steady FFmpeg viewer on each mount, and rounds of short-lived viewers (TCP, about a
// second each, half leaving with TEARDOWN, half dropping the connection). After each round the
// helper hands freed memory back and reports its heap in use and resident size (its `memory`
// command); the helper's CPU is measured over the whole run. A leak grows the heap in use, the
// allocator only the resident size. --arena-max sets glibc's MALLOC_ARENA_MAX for the helper (its
// own default: one arena per core; glibc's: 8 per core).
//   npm run bench:memory [-- --rounds 6 --viewers 80 --arena-max 16]
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { HELPER_BINARY } from '../src/helper/binary.ts';
import type { HelperEvent } from '../src/helper/events.ts';
import { parseHelperLine } from '../src/helper/protocol.ts';
import { cpuPercent, sampleProcess } from '../src/metrics/process-stats.ts';
import { round } from '../src/metrics/round.ts';
import { ffmpegViewer } from './lib/ffmpeg-viewer.ts';
import { RtspChurn } from './lib/rtsp-churn.ts';
import { waitFor } from './lib/processes.ts';
import { saveBenchResults } from './lib/save-results.ts';

const PORT = 21650;
const VIDEO = 'videos/sample-ball.mp4';
const MIB = 1024 * 1024;

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '6' },
    viewers: { type: 'string', default: '80' },
    'arena-max': { type: 'string' },
  },
});
const rounds = Number(values.rounds);
const viewersPerRound = Number(values.viewers);
if (!(Number.isInteger(rounds) && rounds >= 2))
  throw new TypeError(`--rounds must be a whole number of at least 2, got ${values.rounds}`);
if (!(Number.isInteger(viewersPerRound) && viewersPerRound > 0))
  throw new TypeError(`--viewers must be a whole number above 0, got ${values.viewers}`);

const helper = execa(
  HELPER_BINARY,
  [
    '--file',
    VIDEO,
    '--mount',
    '/video1',
    '--adaptive-mount',
    '/video2',
    '--adaptive',
    '--encoders',
    '8',
    '--port',
    String(PORT),
    '--max-viewers',
    '200',
    '--max-viewers-per-address',
    '200',
  ],
  {
    stdin: 'pipe',
    reject: false,
    env: values['arena-max'] === undefined ? {} : { MALLOC_ARENA_MAX: values['arena-max'] },
  },
);
const records: HelperEvent[] = [];
let rest = '';
helper.stdout?.on('data', (chunk: Buffer) => {
  const lines = (rest + chunk.toString()).split('\n');
  rest = lines.pop() ?? '';
  for (const line of lines) {
    const parsed = parseHelperLine(line);
    if (parsed.ok) records.push(parsed.event);
  }
});

async function memory(): Promise<Extract<HelperEvent, { type: 'memory' }>> {
  const from = records.length;
  helper.stdin?.write('memory\n');
  return waitFor(() => records.slice(from).find((record) => record.type === 'memory'), 10_000, 'a memory record');
}

const steady = ['/video1', '/video2'].map((mount) =>
  ffmpegViewer(`rtsp://127.0.0.1:${PORT}${mount}`, { decode: false }),
);
try {
  await waitFor(() => records.some((record) => record.type === 'ready'), 30_000, 'the helper to be ready');
  const churns = [
    new RtspChurn(PORT, 'video1', { viaFrontDoor: false }),
    new RtspChurn(PORT, 'video2', { viaFrontDoor: false }),
  ];
  await sleep(3_000);
  const start = await memory();
  const cpuFrom = sampleProcess(helper.pid!);
  const perRound = [];
  for (let r = 1; r <= rounds; r += 1) {
    const plays: Promise<void>[] = [];
    for (let i = 0; i < viewersPerRound; i += 1) {
      plays.push(churns[i % 2]!.play(i % 4 < 2));
      await sleep(100);
    }
    await Promise.all(plays);
    await sleep(2_500);
    const after = await memory();
    perRound.push({
      round: r,
      churned: r * viewersPerRound,
      heap_in_use_mib: round(after.heapInUseBytes / MIB, 1),
      heap_free_mib: round(after.heapFreeBytes / MIB, 1),
      rss_mib: round(after.rssKiB / 1024, 1),
    });
  }
  const helperCpuPct = round(cpuPercent(cpuFrom, sampleProcess(helper.pid!)), 1);
  const results = {
    date: new Date().toISOString(),
    video: VIDEO,
    rounds,
    viewers_per_round: viewersPerRound,
    malloc_arena_max: values['arena-max'] ?? "the helper's (one per core)",
    played: churns.reduce((sum, churn) => sum + churn.counts.played, 0),
    start: { heap_in_use_mib: round(start.heapInUseBytes / MIB, 1), rss_mib: round(start.rssKiB / 1024, 1) },
    rounds_after: perRound,
    helper_cpu_pct: helperCpuPct,
  };
  console.log(
    `helper at start: heap in use ${results.start.heap_in_use_mib} MiB, RSS ${results.start.rss_mib} MiB; MALLOC_ARENA_MAX ${results.malloc_arena_max}; ${results.played} of ${rounds * viewersPerRound} churned viewers played`,
  );
  console.table(perRound);
  console.log(`helper CPU over the rounds: ${helperCpuPct} % of a core`);
  saveBenchResults('memory', results);
} finally {
  for (const viewer of steady) viewer.kill('SIGINT');
  helper.stdin?.end();
  await Promise.all([helper, ...steady]);
}
