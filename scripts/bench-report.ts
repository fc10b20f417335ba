// Report budget: how long `writeReport` takes and how much memory it needs for a long run
// (budget: a 10-minute, six-stream run in under 10 s and 1 GB). By default the run is simulated
// through the real recorders and controllers (scripts/lib/simulated-run.ts); --run measures an
// existing run directory instead. The report is built in a child process, so its peak RSS is
// the report's alone.
//   npm run bench:report [-- --minutes 10] [-- --run out/<run-id>]
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { runId } from '../src/metrics/run-dir.ts';
import { SAMPLE_VIDEOS } from '../src/inputs/sample-videos.ts';
import { writeReport } from '../src/report/write-report.ts';
import { REPO_ROOT } from './lib/server.ts';
import { writeSimulatedRun } from './lib/simulated-run.ts';

const BUDGET = { wallS: 10, rssMiB: 1024 };

interface Measurement {
  wallS: number;
  maxRssMiB: number;
  charts: number;
}

/** In the child: build the report and say what it cost. */
async function measure(runDir: string): Promise<void> {
  const started = performance.now();
  const result = await writeReport(runDir);
  const measurement: Measurement = {
    wallS: (performance.now() - started) / 1000,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    charts: result.charts.length,
  };
  process.stdout.write(`${JSON.stringify(measurement)}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { minutes: { type: 'string', default: '10' }, run: { type: 'string' }, measure: { type: 'string' } },
  });
  if (values.measure !== undefined) return measure(values.measure);

  const minutes = Number(values.minutes);
  if (!(minutes > 0)) throw new TypeError(`--minutes must be a positive number, got ${JSON.stringify(values.minutes)}`);
  let runDir: string;
  if (values.run !== undefined) {
    runDir = resolve(values.run);
  } else {
    const started = performance.now();
    runDir = writeSimulatedRun({
      outDir: mkdtempSync(join(tmpdir(), 'bench-report-')),
      files: SAMPLE_VIDEOS.map((video) => join(REPO_ROOT, 'videos', video.file)),
      minutes,
    });
    console.log(
      `simulated ${minutes} min of ${SAMPLE_VIDEOS.length * 2} streams in ${((performance.now() - started) / 1000).toFixed(1)} s: ${runDir}`,
    );
  }
  const ndjsonMiB = statSync(join(runDir, 'metrics.ndjson')).size / 2 ** 20;
  const child = await execa('node', ['--import', 'tsx', 'scripts/bench-report.ts', '--measure', runDir], {
    cwd: REPO_ROOT,
  });
  const measured = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Measurement;
  const verdict = (value: number, budget: number) => (value <= budget ? 'within budget' : 'OVER BUDGET');
  console.log(`metrics.ndjson: ${ndjsonMiB.toFixed(1)} MiB`);
  console.log(
    `report (${measured.charts} charts, PNG + SVG + report.html): ${measured.wallS.toFixed(2)} s (${verdict(measured.wallS, BUDGET.wallS)}: ${BUDGET.wallS} s), peak RSS ${measured.maxRssMiB.toFixed(0)} MiB (${verdict(measured.maxRssMiB, BUDGET.rssMiB)}: ${BUDGET.rssMiB} MiB)`,
  );
  mkdirSync(join(REPO_ROOT, 'out'), { recursive: true });
  const saved = join(REPO_ROOT, 'out', `bench-report-${runId(new Date())}.json`);
  writeFileSync(
    saved,
    `${JSON.stringify({ runDir, minutes: values.run === undefined ? minutes : undefined, ndjsonMiB, ...measured, budget: BUDGET }, null, 2)}\n`,
  );
  console.log(`saved ${saved}`);
}

await main();
