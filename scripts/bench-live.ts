// A live RTSP camera served (issue 24), on loopback: the camera is GStreamer's RTSP server from
// Python (test/support/camera.py), 1280x720 25 fps, a key frame every second; the helper serves it
// at 640x480.
// 1. First frame of an idle camera: from FFmpeg's start to its first decoded frame, through the
//    helper (which connects to the camera on demand) and straight from the camera, over N tries.
// 2. A frame's time in the helper, from its arrival (the decoder's input) to the payloader, p50 and
//    p95, with 1, 4 and 8 viewers of the dynamic mount (an encoder each).
// 3. CPU of the helper with those viewers against one bare `gst-launch-1.0` rtspsrc → decode →
//    scale (lanczos, as the helper) → encode → rtph264pay pipeline per viewer (the per-viewer
//    design without a shared decode).
// 4. End to end: the stamped clip served by a camera that records when it sent each frame; the
//    probe (rtspsrc over UDP, FFmpeg over TCP) reads each picture's stamp: delay from the camera's
//    send to the viewer's decode, straight from the camera and through both of the helper's mounts.
//   npm run bench:live [-- --seconds 10 --tries 10]
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa, type ResultPromise } from 'execa';
import type { HelperEvent } from '../src/helper/events.ts';
import { measureProcesses, totalCpu } from './lib/processes.ts';
import { percentile } from '../src/metrics/percentile.ts';
import { round } from '../src/metrics/round.ts';
import { DEFAULT_ENCODER_PRESET } from '../src/config/options.ts';
import { spawnHelper, type HelperProcess } from '../src/supervisor/helper-process.ts';
import { Camera, ensureCameraClip } from '../test/support/camera.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clipTiming } from '../src/probe/reference.ts';
import { ensureStampedSample } from '../src/stamp/stamped-sample.ts';
import { startProbeClient } from './bench/probes/client.ts';
import type { ProbeClientKind } from '../src/probe/summary.ts';
import { viewerFigures, type ClipTiming } from './bench/viewer-figures.ts';
import { REPO_ROOT } from './lib/server.ts';
import { ffmpegViewer } from './lib/ffmpeg-viewer.ts';
import { saveBenchResults } from './lib/save-results.ts';

const CAMERA_PORT = 18580;
const HELPER_PORT = 18581;
const CLIP_CAMERA_PORT = 18582;
/** Seconds a probe plays before its delays count: the helper's first pull, the first key frame. */
const WARM_UP_S = 3;
const VIEWER_KBPS = 600;
const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '10' }, tries: { type: 'string', default: '10' } },
});
const seconds = Number(values.seconds);
const tries = Number(values.tries);
if (!(seconds > 0) || !(tries > 0)) throw new TypeError('--seconds and --tries must be numbers above 0');

interface LiveHelper {
  process: HelperProcess;
  frames: { inUs: number; outUs: number }[];
  url: string;
}

function startHelper(uri: string, extra: readonly string[]): LiveHelper {
  const frames: { inUs: number; outUs: number }[] = [];
  const process = spawnHelper(
    [
      ...['--live', '--mount', '/v', '--adaptive-mount', '/a', '--adaptive', '--port', String(HELPER_PORT)],
      ...['--width', '640', '--height', '480', '--bitrate', String(VIEWER_KBPS)],
      ...['--adaptive-bitrate', String(VIEWER_KBPS), '--encoders', '8', ...extra],
    ],
    {
      onEvent: (event: HelperEvent) => {
        if (event.type === 'frame' && event.inUs !== undefined) frames.push({ inUs: event.inUs, outUs: event.outUs });
      },
      onBadLine: () => {},
      onStderrLine: () => {},
    },
    { env: { RTSP_HELPER_URI: uri } },
  );
  return { process, frames, url: `rtsp://127.0.0.1:${HELPER_PORT}` };
}

/** Wall time from FFmpeg's start to its first decoded frame, ms. */
async function firstFrameMs(url: string): Promise<number> {
  const started = performance.now();
  const result = await execa(
    'ffmpeg',
    ['-nostdin', '-v', 'error', '-rtsp_transport', 'tcp', '-i', url, '-frames:v', '1', '-f', 'null', '-'],
    { reject: false, timeout: 20_000 },
  );
  if (result.exitCode !== 0) throw new Error(`ffmpeg could not play ${url}: ${result.stderr}`);
  return performance.now() - started;
}

function spread(values: number[]): { p50: number; p95: number } {
  return { p50: round(percentile(values, 50)!, 0), p95: round(percentile(values, 95)!, 0) };
}

async function firstFrames(camera: Camera) {
  const helper = startHelper(camera.url, ['--linger', '0']);
  await sleep(1000);
  const viaHelper: number[] = [];
  const direct: number[] = [];
  for (let i = 0; i < tries; i++) {
    // Idle again: the helper lets the camera go at once (--linger 0) once its viewer left.
    await sleep(1500);
    viaHelper.push(await firstFrameMs(`${helper.url}/v`));
    await sleep(300);
    direct.push(await firstFrameMs(camera.url));
  }
  await helper.process.terminate();
  return { viaHelper: spread(viaHelper), direct: spread(direct) };
}

async function servedTo(camera: Camera, viewers: number) {
  const helper = startHelper(camera.url, []);
  await sleep(500);
  const children = Array.from({ length: viewers }, () => ffmpegViewer(`${helper.url}/a`, { decode: false }));
  await sleep(3000);
  helper.frames.length = 0;
  const cpuPct = totalCpu(await measureProcesses([helper.process.pid!], seconds));
  const latencies = helper.frames.map((frame) => (frame.outUs - frame.inUs) / 1000);
  for (const child of children) child.kill('SIGINT');
  await Promise.all(children);
  await helper.process.terminate();
  return {
    cpuPct: round(cpuPct, 1),
    latencyMs: { p50: round(percentile(latencies, 50)!, 1), p95: round(percentile(latencies, 95)!, 1) },
  };
}

async function barePipelines(camera: Camera, count: number): Promise<number> {
  const children: ResultPromise[] = Array.from({ length: count }, () =>
    execa(
      'gst-launch-1.0',
      [
        ...['-q', 'rtspsrc', `location=${camera.url}`, 'latency=200', '!', 'rtph264depay', '!', 'avdec_h264'],
        // The helper's scaler: both make the same picture.
        ...['!', 'videoconvert', '!', 'videoscale', 'method=lanczos', '!', 'video/x-raw,width=640,height=480'],
        ...['!', 'x264enc'],
        ...['tune=zerolatency', `speed-preset=${DEFAULT_ENCODER_PRESET}`, `bitrate=${VIEWER_KBPS}`, 'key-int-max=25'],
        ...['!', 'rtph264pay', '!', 'fakesink', 'sync=false'],
      ],
      { reject: false },
    ),
  );
  await sleep(3000);
  const cpuPct = totalCpu(
    await measureProcesses(
      children.map((child) => child.pid!),
      seconds,
    ),
  );
  for (const child of children) child.kill('SIGINT');
  await Promise.all(children);
  return round(cpuPct, 1);
}

const E2E_VIEWERS: { client: ProbeClientKind; transport: 'udp' | 'tcp' }[] = [
  { client: 'rtspsrc', transport: 'udp' },
  { client: 'ffmpeg', transport: 'tcp' },
];

interface StampedClip {
  path: string;
  timing: ClipTiming;
}

/** One probe on `url` for the warm-up and `seconds`: its delay from the camera's sends. */
async function delayFromCamera(camera: Camera, url: string, viewer: (typeof E2E_VIEWERS)[number], clip: StampedClip) {
  const framesPath = join(mkdtempSync(join(tmpdir(), 'bench-live-')), 'frames.ndjson');
  const probe = startProbeClient(viewer.client, undefined, url, viewer.transport, {
    reference: clip.path,
    framesPath,
  });
  const startMs = Date.now() + WARM_UP_S * 1000;
  await sleep((WARM_UP_S + seconds) * 1000);
  const endMs = Date.now();
  const stopped = await probe.stop();
  const { figures } = viewerFigures(stopped.frames, camera.sent, clip.timing, startMs, endMs, 'camera');
  if (figures.e2e_delay_p95_ms === null)
    throw new Error(`${viewer.client} on ${url}: no delay measured; the probe said: ${stopped.stderrTail.slice(-300)}`);
  return {
    p50: figures.e2e_delay_p50_ms!,
    p95: figures.e2e_delay_p95_ms,
    uniquePct: figures.frames_unique_pct,
    stalls: figures.stall_count,
  };
}

/** `+3`, `-11`: a difference in whole ms. */
function signed(ms: number): string {
  const whole = round(ms, 0);
  return whole < 0 ? String(whole) : `+${whole}`;
}

async function endToEnd() {
  const path = await ensureStampedSample(join(REPO_ROOT, 'videos'));
  const clip = { path, timing: await clipTiming(path) };
  const camera = new Camera({ port: CLIP_CAMERA_PORT, file: await ensureCameraClip(path) });
  await camera.start();
  const helper = startHelper(camera.url, []);
  try {
    const rows = [];
    for (const viewer of E2E_VIEWERS) {
      const direct = await delayFromCamera(camera, camera.url, viewer, clip);
      const staticMount = await delayFromCamera(camera, `${helper.url}/v`, viewer, clip);
      const dynamicMount = await delayFromCamera(camera, `${helper.url}/a`, viewer, clip);
      rows.push({ ...viewer, direct, static: staticMount, dynamic: dynamicMount });
      const line = (figures: typeof direct) =>
        `p50 ${figures.p50} ms, p95 ${figures.p95} ms (${figures.uniquePct} % unique frames, ${figures.stalls} stalls)`;
      console.log(
        `camera's send to ${viewer.client}/${viewer.transport}'s decode: straight from the camera ${line(direct)}; ` +
          `static mount ${line(staticMount)}, ${signed(staticMount.p95 - direct.p95)} ms at p95; ` +
          `dynamic mount ${line(dynamicMount)}, ${signed(dynamicMount.p95 - direct.p95)} ms at p95`,
      );
    }
    return rows;
  } finally {
    await helper.process.terminate();
    await camera.stop();
  }
}

const endToEndRows = await endToEnd();
const camera = new Camera({ port: CAMERA_PORT, size: '1280x720' });
await camera.start();
try {
  const first = await firstFrames(camera);
  console.log(
    `first frame of an idle camera, ${tries} tries: via the helper p50 ${first.viaHelper.p50} ms, p95 ${first.viaHelper.p95} ms; ` +
      `straight from the camera p50 ${first.direct.p50} ms, p95 ${first.direct.p95} ms (a key frame every 1000 ms)`,
  );
  const rows = [];
  for (const viewers of [1, 4, 8]) {
    const served = await servedTo(camera, viewers);
    const bare = await barePipelines(camera, viewers);
    rows.push({ viewers, ...served, bareCpuPct: bare, ratio: round(served.cpuPct / bare, 2) });
    console.log(
      `${viewers} dynamic viewer(s) at ${VIEWER_KBPS} kbit/s: helper ${served.cpuPct} % of a core, arrival to payloader p50 ${served.latencyMs.p50} ms, p95 ${served.latencyMs.p95} ms; ` +
        `${viewers} bare pipeline(s) ${bare} %: ${round(served.cpuPct / bare, 2)}x`,
    );
  }
  saveBenchResults('live', {
    date: new Date().toISOString(),
    seconds,
    tries,
    firstFrame: first,
    viewers: rows,
    endToEnd: endToEndRows,
  });
} finally {
  await camera.stop();
}
