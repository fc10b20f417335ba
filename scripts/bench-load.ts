// Load: N steady viewers on one mount for S seconds (default 50 for 60 s) plus churn (default 10
// connects per second, each playing ~1 s, half leaving with TEARDOWN, half dropping the
// connection), on loopback. Prints frames delivered to each steady viewer, crashes, and the
// supervisor's and helper's CPU, RSS and open descriptors at the start and end of the window.
//   npm run bench:load [-- --viewers 50 --seconds 60 --churn 10 --max-viewers 80]
// --max-viewers 80: the steady viewers and the ~10 churn viewers playing at any time, with room.
import { mkdtempSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { execa, type ResultPromise } from 'execa';
import { startServer } from './lib/server.ts';
import { cpuPercent, sampleProcess, type ProcSample } from '../src/metrics/process-stats.ts';
import { findHelpers, waitFor } from './lib/processes.ts';
import { RtspChurn } from './lib/rtsp-churn.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { round } from '../src/metrics/round.ts';
import { saveBenchResults } from './lib/save-results.ts';

const PORT = 18754;
const MOUNT = 'video1';
const SAMPLE_S = 5; // CPU is measured over the first and the last 5 s of the window
const CHURN_WARMUP_S = 5; // churn runs this long before the window starts
const MATCH = 8; // frame sizes used to find a viewer's first frame among the server's
const MAX_SKIP = 3; // a viewer that joins mid-frame gets a partial first frame: its size matches nothing
const { values } = parseArgs({
  options: {
    viewers: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '60' },
    churn: { type: 'string', default: '10' },
    video: { type: 'string', default: 'videos/sample-ball.mp4' },
    'max-viewers': { type: 'string', default: '80' },
  },
});
const viewerCount = Number(values.viewers);
const seconds = Number(values.seconds);
const churnPerS = Number(values.churn);
if (!(Number.isInteger(viewerCount) && viewerCount > 0))
  throw new TypeError(`--viewers must be a whole number above 0, got ${values.viewers}`);
if (!(seconds >= 2 * SAMPLE_S))
  throw new TypeError(`--seconds must be at least ${2 * SAMPLE_S}, got ${values.seconds}`);
if (!(churnPerS >= 0)) throw new TypeError(`--churn must be a number >= 0, got ${values.churn}`);

// ---- steady viewers: ffmpeg copying packets (no decoding), one framecrc line per frame received
interface Viewer {
  child: ResultPromise<{ reject: false; buffer: false; stderr: 'ignore' }>;
  frames: number;
  sizes: number[];
  firstWallMs: number | undefined;
  stopWallMs: number | undefined;
}

function startViewer(url: string): Viewer {
  const child = execa(
    'ffmpeg',
    [
      '-nostdin',
      '-hide_banner',
      '-v',
      'error',
      '-analyzeduration',
      '0',
      '-rtsp_transport',
      'tcp',
      '-i',
      url,
      '-map',
      '0:v:0',
      '-c',
      'copy',
      '-flush_packets',
      '1',
      '-f',
      'framecrc',
      'pipe:1',
    ],
    { reject: false, buffer: false, stderr: 'ignore' },
  );
  const viewer: Viewer = { child, frames: 0, sizes: [], firstWallMs: undefined, stopWallMs: undefined };
  let rest = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('0,')) continue;
      viewer.frames += 1;
      viewer.firstWallMs ??= Date.now();
      if (viewer.sizes.length < MATCH + MAX_SKIP) viewer.sizes.push(Number(line.split(',')[4]));
    }
  });
  return viewer;
}

const churn = new RtspChurn(PORT, MOUNT);

// ---- process figures
function fdCount(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

interface Snapshot {
  cpuPct: number;
  rssMiB: number;
  fds: number;
}
async function snapshot(pids: number[]): Promise<Snapshot[]> {
  const before = pids.map((pid) => sampleProcess(pid));
  // Churn opens and closes connections all the time: the descriptor count is the median of
  // samples every 500 ms over the window, not one instant.
  const fds: number[][] = pids.map(() => []);
  for (let t = 0; t < SAMPLE_S * 1000; t += 500) {
    pids.forEach((pid, i) => fds[i]!.push(fdCount(pid)));
    await sleep(500);
  }
  return pids.map((pid, i) => {
    const after: ProcSample = sampleProcess(pid);
    return {
      cpuPct: round(cpuPercent(before[i]!, after), 1),
      rssMiB: round(after.rssKiB / 1024, 1),
      fds: median(fds[i]!),
    };
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

// ---- the run
const out = mkdtempSync(join(tmpdir(), 'bench-load-'));
// Every viewer comes from loopback: the per-address cap is the mount's.
const server = startServer([
  '--videos',
  values.video,
  '--port',
  String(PORT),
  '--max-viewers',
  values['max-viewers'],
  '--max-viewers-per-address',
  values['max-viewers'],
  '--out',
  out,
  '--quiet',
]);
const viewers: Viewer[] = [];
let churnTimer: NodeJS.Timeout | undefined;
let supervisorExitedEarly = false;
let stopping = false;
void server.process.then(() => {
  if (!stopping) supervisorExitedEarly = true;
});

function cleanUp(): void {
  if (churnTimer) clearInterval(churnTimer);
  churn.destroyAll();
  for (const viewer of viewers) viewer.child.kill('SIGKILL');
  server.process.kill('SIGTERM');
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopping = true;
    cleanUp();
    void server.process.then(() => process.exit(130));
  });
}

try {
  await server.waitForOutput(/RTSP server ready/, 120_000);
  const url = `rtsp://127.0.0.1:${PORT}/${MOUNT}`;
  for (let i = 0; i < viewerCount; i += 1) {
    viewers.push(startViewer(url));
    await sleep(100); // a connect every 100 ms: the churn below is the connect storm, not this
  }
  await waitFor(() => viewers.every((viewer) => viewer.frames > 0), 60_000, 'every steady viewer to receive a frame');
  let churnIndex = 0;
  if (churnPerS > 0) churnTimer = setInterval(() => void churn.play(churnIndex++ % 2 === 0), 1000 / churnPerS);
  await sleep(CHURN_WARMUP_S * 1000);

  const supervisorPid = server.process.pid!;
  const helperPid = findHelpers([PORT + 1])[0]?.pid;
  if (helperPid === undefined) throw new Error(`no helper for ${MOUNT} on port ${PORT + 1}`);
  const pids = [supervisorPid, helperPid];
  const windowStartWall = Date.now();
  const atStart = await snapshot(pids);
  await sleep((seconds - 2 * SAMPLE_S) * 1000);
  const atEnd = await snapshot(pids);
  const helperPidAtEnd = findHelpers([PORT + 1])[0]?.pid;
  const windowS = (Date.now() - windowStartWall) / 1000;

  if (churnTimer) clearInterval(churnTimer);
  await sleep(1_500); // churn clients in flight finish
  for (const viewer of viewers) {
    viewer.stopWallMs = Date.now();
    viewer.child.kill('SIGINT');
  }
  await Promise.all(viewers.map((viewer) => viewer.child));
  await sleep(500);
  stopping = true;
  server.process.kill('SIGTERM');
  const serverExit = await server.process;

  // Frames the server sent, from its own records; each viewer's first frame is found by the
  // sizes of its first frames (the encoded size, identical on both sides).
  const runDir = realpathSync(join(out, 'latest'));
  const records = readFileSync(join(runDir, 'metrics.ndjson'), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  const startedWallMs = Date.parse(String(records[0]!.started_at));
  const frames = records.filter((r) => r.type === 'frame' && r.stream === MOUNT) as { t_ms: number; bytes: number }[];
  // A helper that failed again after the longest wait restarts as `failing`.
  const restarts = records.filter(
    (r) => r.type === 'state' && (r.state === 'restarting' || r.state === 'failing'),
  ).length;
  const failedMounts = records.filter((r) => r.type === 'state' && r.state === 'failed').length;
  const perViewer = viewers.map((viewer, i) => {
    const firstTMs = viewer.firstWallMs! - startedWallMs;
    const stopTMs = viewer.stopWallMs! - startedWallMs;
    let best = -1;
    for (let skip = 0; skip <= MAX_SKIP && best < 0; skip += 1) {
      const sizes = viewer.sizes.slice(skip, skip + MATCH);
      for (let f = skip; f + MATCH <= frames.length; f += 1) {
        if (sizes.every((size, k) => frames[f + k]!.bytes === size)) {
          if (best < 0 || Math.abs(frames[f - skip]!.t_ms - firstTMs) < Math.abs(frames[best]!.t_ms - firstTMs))
            best = f - skip;
        }
      }
    }
    const sent = best < 0 ? 0 : frames.slice(best).filter((frame) => frame.t_ms <= stopTMs).length;
    return {
      viewer: i + 1,
      received: viewer.frames,
      sent_while_playing: sent,
      delivered_pct: sent > 0 ? round((100 * viewer.frames) / sent, 2) : 0,
      matched: best >= 0,
    };
  });
  const delivered = perViewer.map((v) => v.delivered_pct);
  const growth = (a: number, b: number) => round((100 * (b - a)) / a, 1);
  const processes = ['supervisor', `helper ${MOUNT}`].map((name, i) => ({
    process: name,
    cpu_pct_start: atStart[i]!.cpuPct,
    cpu_pct_end: atEnd[i]!.cpuPct,
    rss_mib_start: atStart[i]!.rssMiB,
    rss_mib_end: atEnd[i]!.rssMiB,
    rss_growth_pct: growth(atStart[i]!.rssMiB, atEnd[i]!.rssMiB),
    fds_start: atStart[i]!.fds,
    fds_end: atEnd[i]!.fds,
    fds_growth_pct: growth(atStart[i]!.fds, atEnd[i]!.fds),
  }));
  const under99 = perViewer.filter((v) => v.delivered_pct < 99).length; // an unmatched viewer counts as under
  const crashes = {
    helper_restarts: restarts,
    failed_mounts: failedMounts,
    helper_pid_changed: helperPidAtEnd !== helperPid,
    supervisor_exited_early: supervisorExitedEarly,
    supervisor_exit_code: serverExit.exitCode,
  };
  const crashed =
    restarts > 0 ||
    failedMounts > 0 ||
    crashes.helper_pid_changed ||
    supervisorExitedEarly ||
    serverExit.exitCode !== 0;
  const maxGrowth = (key: 'rss_growth_pct' | 'fds_growth_pct') => Math.max(...processes.map((p) => p[key]));
  const verdicts = {
    frames_ge_99_pct_each: under99 === 0 ? 'pass' : 'FAIL',
    no_crash: crashed ? 'FAIL' : 'pass',
    rss_growth_under_10_pct: maxGrowth('rss_growth_pct') < 10 ? 'pass' : 'FAIL',
    fd_growth_under_10_pct: maxGrowth('fds_growth_pct') < 10 ? 'pass' : 'FAIL',
  };
  const results = {
    date: new Date().toISOString(),
    video: values.video,
    max_viewers: Number(values['max-viewers']),
    mount: MOUNT,
    steady_viewers: viewerCount,
    window_s: round(windowS, 1),
    churn_per_s: churnPerS,
    frames_source:
      "server metrics.ndjson frame records of the mount, from the viewer's first frame (matched by encoded size) to its stop",
    delivered_pct: { min: Math.min(...delivered), median: median(delivered) },
    viewers_under_99_pct: under99,
    churn,
    crashes,
    processes,
    verdicts,
    viewers: perViewer,
    server_run_dir: runDir,
  };
  console.log(
    `${viewerCount} steady viewers on ${MOUNT} for ${results.window_s} s, churn ${churnPerS}/s (${churn.counts.attempts} attempts: ${churn.counts.played} played, ${churn.counts.teardowns} TEARDOWN, ${churn.counts.drops} dropped, refused ${JSON.stringify(churn.counts.refused)}, ${churn.counts.errors} errors)`,
  );
  console.log(
    `frames delivered per steady viewer: min ${results.delivered_pct.min} %, median ${results.delivered_pct.median} %; under 99 %: ${under99}${perViewer.some((v) => !v.matched) ? ` (${perViewer.filter((v) => !v.matched).length} not matched)` : ''}`,
  );
  console.log(
    `crashes: helper restarts ${restarts}, failed mounts ${failedMounts}, helper pid changed ${crashes.helper_pid_changed}, supervisor exited early ${supervisorExitedEarly}, exit code ${serverExit.exitCode}`,
  );
  console.table(processes);
  console.table(verdicts);
  saveBenchResults('load', results);
} finally {
  stopping = true;
  cleanUp();
  await server.process;
}
