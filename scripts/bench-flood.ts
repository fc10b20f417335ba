// RTCP flood: viewers on both mounts of one video (FFmpeg over UDP on the static mount, rtspsrc
// over UDP on the dynamic one, an encoder each), then a stranger sends receiver reports of 31
// blocks each (random SSRCs) to every RTCP port the helper has open, --rate a second, for
// --seconds. Prints each viewer's frames per second before, during and after the flood (its worst
// second in each), the supervisor's and helper's CPU in each phase, and the packets the helper
// refused (feedback_issue records of source rtcp in metrics.ndjson). Loopback only.
//   npm run bench:flood [-- --rate 16000 --seconds 20 --viewers 2]
import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { execa, type ResultPromise } from 'execa';
import { cpuPercent, sampleProcess, type ProcSample } from '../src/metrics/process-stats.ts';
import { round } from '../src/metrics/round.ts';
import { findHelpers, waitFor } from './lib/processes.ts';
import { saveBenchResults } from './lib/save-results.ts';
import { startServer } from './lib/server.ts';

const PORT = 21600;
const VIDEO = 'videos/sample-ball.mp4';
const BLOCKS = 31;
/** Before and after the flood. */
const CALM_S = 8;
/** Packets go out in bursts this often. */
const BURST_MS = 5;

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '16000' },
    seconds: { type: 'string', default: '20' },
    viewers: { type: 'string', default: '2' },
  },
});
const rate = Number(values.rate);
const floodS = Number(values.seconds);
const perMount = Number(values.viewers);
if (!(rate > 0)) throw new TypeError(`--rate must be a number above 0, got ${values.rate}`);
if (!(floodS >= 4)) throw new TypeError(`--seconds must be at least 4, got ${values.seconds}`);
if (!(Number.isInteger(perMount) && perMount > 0))
  throw new TypeError(`--viewers must be a whole number above 0, got ${values.viewers}`);

/** A client that prints a line per frame it receives; each line's wall-clock second is counted. */
interface Viewer {
  name: string;
  child: ResultPromise<{ reject: false; buffer: false; stderr: 'ignore' }>;
  /** Frames by wall-clock second (Math.floor(Date.now() / 1000)). */
  perSecond: Map<number, number>;
}

function follow(name: string, child: Viewer['child'], isFrame: (line: string) => boolean): Viewer {
  const viewer: Viewer = { name, child, perSecond: new Map() };
  let rest = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop() ?? '';
    const second = Math.floor(Date.now() / 1000);
    for (const line of lines) if (isFrame(line)) viewer.perSecond.set(second, (viewer.perSecond.get(second) ?? 0) + 1);
  });
  return viewer;
}

/** FFmpeg copying packets (no decode): a framecrc line per frame. */
function ffmpegViewer(name: string, url: string): Viewer {
  const child = execa(
    'ffmpeg',
    [
      '-nostdin',
      '-hide_banner',
      '-v',
      'error',
      '-rtsp_transport',
      'udp',
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
  return follow(name, child, (line) => line.startsWith('0,'));
}

/** rtspsrc over UDP (TWCC and fast reports on a dynamic mount), decoding: a fakesink line per frame. */
function rtspsrcViewer(name: string, url: string): Viewer {
  const child = execa(
    'gst-launch-1.0',
    [
      '-v',
      'rtspsrc',
      `location=${url}`,
      'protocols=udp',
      '!',
      'rtph264depay',
      '!',
      'avdec_h264',
      '!',
      'fakesink',
      'name=frames',
      'silent=false',
      'sync=false',
    ],
    { reject: false, buffer: false, stderr: 'ignore' },
  );
  return follow(name, child, (line) => line.includes('GstFakeSink:frames: last-message = chain'));
}

/** The worst and the mean of a viewer's frames per second over [from, to) (wall-clock seconds). */
function fps(viewer: Viewer, from: number, to: number): { min: number; mean: number } {
  const counts = Array.from({ length: to - from }, (_, i) => viewer.perSecond.get(from + i) ?? 0);
  return { min: Math.min(...counts), mean: round(counts.reduce((a, b) => a + b, 0) / counts.length, 1) };
}

/** A receiver report of BLOCKS blocks from a random SSRC about random ones. */
function report(): Buffer {
  const packet = Buffer.alloc(8 + 24 * BLOCKS);
  packet.writeUInt8(0x80 | BLOCKS, 0);
  packet.writeUInt8(201, 1);
  packet.writeUInt16BE(packet.length / 4 - 1, 2);
  for (let offset = 4; offset < packet.length; offset += 4)
    packet.writeUInt32BE((Math.random() * 2 ** 32) >>> 0, offset);
  packet.writeUInt8(0, 12); // fraction lost of the first block: plausible
  return packet;
}

/** The helper's RTCP ports: of each pair of UDP sockets it bound, the odd one. */
function rtcpPorts(pid: number): number[] {
  const lines = execFileSync('ss', ['-H', '-uanp'])
    .toString()
    .split('\n')
    .filter((line) => line.includes(`pid=${pid},`));
  return lines.map((line) => Number(/:(\d+)\s/.exec(line)?.[1])).filter((port) => port % 2 === 1);
}

/** Sends `rate` reports a second, round-robin over `ports`, until `stop` says so; the count sent. */
async function flood(ports: readonly number[], stop: () => boolean): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const packets = Array.from({ length: 64 }, report);
  const start = performance.now();
  let sent = 0;
  while (!stop()) {
    const due = Math.floor(((performance.now() - start) / 1000) * rate);
    for (; sent < due; sent += 1) socket.send(packets[sent % packets.length]!, ports[sent % ports.length], '127.0.0.1');
    await sleep(BURST_MS);
  }
  socket.close();
  return sent;
}

const nowS = (): number => Math.floor(Date.now() / 1000);

const out = mkdtempSync(join(tmpdir(), 'bench-flood-'));
const server = startServer(['--videos', VIDEO, '--port', String(PORT), '--out', out, '--quiet']);
const viewers: Viewer[] = [];
try {
  await server.waitForOutput(/RTSP server ready/, 120_000);
  for (let i = 1; i <= perMount; i += 1) {
    viewers.push(ffmpegViewer(`static ffmpeg ${i}`, `rtsp://127.0.0.1:${PORT}/video1`));
    viewers.push(rtspsrcViewer(`dynamic rtspsrc ${i}`, `rtsp://127.0.0.1:${PORT}/video2`));
  }
  await waitFor(() => viewers.every((viewer) => viewer.perSecond.size > 0), 60_000, 'every viewer to receive a frame');
  const helperPid = findHelpers([PORT + 1])[0]?.pid;
  if (helperPid === undefined) throw new Error(`no helper on port ${PORT + 1}`);
  const ports = rtcpPorts(helperPid);
  const pids = { supervisor: server.process.pid!, helper: helperPid };
  const samples: Array<Record<keyof typeof pids, ProcSample>> = [];
  const sample = () => samples.push({ supervisor: sampleProcess(pids.supervisor), helper: sampleProcess(pids.helper) });

  await sleep(2_000);
  const phases = { before: nowS(), flood: 0, after: 0, end: 0 };
  sample();
  await sleep(CALM_S * 1000);
  phases.flood = nowS();
  sample();
  const sent = await flood(ports, () => nowS() >= phases.flood + floodS);
  phases.after = nowS();
  sample();
  await sleep(CALM_S * 1000);
  phases.end = nowS();
  sample();
  const helperAtEnd = findHelpers([PORT + 1])[0]?.pid;

  for (const viewer of viewers) viewer.child.kill('SIGINT');
  await Promise.all(viewers.map((viewer) => viewer.child));
  server.process.kill('SIGTERM');
  await server.process;

  const records = readFileSync(join(realpathSync(join(out, 'latest')), 'metrics.ndjson'), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const refused = (reason: string) =>
    records
      .filter((r) => r.type === 'feedback_issue' && r.source === 'rtcp' && r.reason === reason)
      .reduce((sum, r) => sum + Number(r.count), 0);
  const cpu = (name: keyof typeof pids, from: number) =>
    round(cpuPercent(samples[from]![name], samples[from + 1]![name]), 1);
  const results = {
    date: new Date().toISOString(),
    video: VIDEO,
    rate_per_s: rate,
    blocks_per_report: BLOCKS,
    flood_s: floodS,
    rtcp_ports: ports.length,
    reports_sent: sent,
    refused: { stranger: refused('stranger'), over_rate: refused('over_rate') },
    helper_restarted: helperAtEnd !== helperPid,
    cpu_pct: Object.fromEntries(
      (['supervisor', 'helper'] as const).map((name) => [
        name,
        { before: cpu(name, 0), flood: cpu(name, 1), after: cpu(name, 2) },
      ]),
    ),
    viewers: viewers.map((viewer) => ({
      viewer: viewer.name,
      before: fps(viewer, phases.before, phases.flood),
      flood: fps(viewer, phases.flood, phases.after),
      after: fps(viewer, phases.after, phases.end),
    })),
  };
  console.log(
    `${sent} receiver reports of ${BLOCKS} blocks in ${floodS} s (${rate}/s) to ${ports.length} RTCP ports of the helper; it refused ${results.refused.stranger} as a stranger's, restarted: ${results.helper_restarted}`,
  );
  console.table(
    results.viewers.map(({ viewer, before, flood: during, after }) => ({
      viewer,
      'before min/mean fps': `${before.min}/${before.mean}`,
      'flood min/mean fps': `${during.min}/${during.mean}`,
      'after min/mean fps': `${after.min}/${after.mean}`,
    })),
  );
  console.table(results.cpu_pct);
  saveBenchResults('flood', results);
} finally {
  for (const viewer of viewers) viewer.child.kill('SIGKILL');
  server.process.kill('SIGTERM');
  await server.process;
}
