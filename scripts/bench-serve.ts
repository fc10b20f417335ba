// Serving figures:
// 1. the default six mounts (three helpers, one per video): time from a warm `npm start` to the
//    first decoded frame, helper CPU idle and with one viewer per mount, supervisor CPU and memory;
// 2. one 1280x720 file with its static and its dynamic mount each watched: CPU of all the
//    project's processes against two bare `gst-launch-1.0` decode → scale → encode → rtph264pay
//    pipelines in real time (one per mount, the original project's architecture);
//    (also against the same pipelines with the helper's encoder settings: one x264 thread, three slices);
// 3. one dynamic mount with 1, 4 and 8 viewers (an encoder each): CPU per added viewer, against
//    one encoder's own cost on the same frames (a bare pipeline with and without the encoder);
// 4. a live 1280x720 camera: first frame of an idle camera, CPU with 1, 4, 8 dynamic viewers
//    against bare rtspsrc pipelines, and the delay from its sends: `npm run bench:live`, run last.
//   npm run bench:serve [-- --seconds 10]
// Viewers copy the stream without decoding it (`ffmpeg -c copy -f null`): their own CPU stays
// small and is not counted. On loopback nothing limits a dynamic mount's controllers, which would
// climb to --max-bitrate: 2 and 3 pin the dynamic bitrate (--max-bitrate = --start-bitrate), so
// that each encoder costs what it costs at the bitrate the comparison names.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import { ffmpegViewer } from './lib/ffmpeg-viewer.ts';
import { findHelpers, measureProcesses, portRange, totalCpu, waitFor } from './lib/processes.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { round } from '../src/metrics/round.ts';
import { DEFAULT_ENCODER_PRESET } from '../src/config/options.ts';
import { saveBenchResults } from './lib/save-results.ts';

const PORT = 18554;
const VIDEOS = 3;
const STATIC_KBPS = 5000;
const DYNAMIC_KBPS = 800;
/** Where bench:encoder measured its encoder table (docs/encoder.md). */
const VIEWER_KBPS = 600;
const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' } } });
const seconds = Number(values.seconds);
if (!(seconds > 0)) throw new TypeError(`--seconds must be a number above 0, got ${JSON.stringify(values.seconds)}`);

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
}

interface Server {
  process: ResultPromise;
  output: () => string;
  /** The supervisor and its helpers. */
  pids: number[];
}

async function startServer(port: number, args: string[], helpers: number): Promise<Server> {
  const child = execa('npm', ['start', '--', '--port', String(port), '--quiet', '--http', '0', ...args], {
    reject: false,
    all: true,
    cleanup: true,
  });
  let output = '';
  child.all?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitFor(() => /RTSP server ready/.test(output), 120_000, 'the server to be ready');
  const found = findHelpers(portRange(port + 1, helpers)).sort((a, b) => a.port - b.port);
  const supervisorPid = Number((await execa('pgrep', ['-f', `src/cli.ts --port ${port}`])).stdout.split('\n')[0]);
  return { process: child, output: () => output, pids: [supervisorPid, ...found.map((helper) => helper.pid)] };
}

async function stopServer(server: Server): Promise<void> {
  server.process.kill('SIGTERM');
  await server.process;
}

/** A viewer that copies the stream for `forS` seconds over TCP. */
function viewer(port: number, mount: number, forS: number) {
  return ffmpegViewer(`rtsp://127.0.0.1:${port}/video${mount}`, { seconds: forS, decode: false });
}

async function checkViewers(viewers: ReturnType<typeof viewer>[], what: string): Promise<void> {
  for (const [i, played] of (await Promise.all(viewers)).entries()) {
    if (played.exitCode !== 0)
      throw new Error(`${what}: viewer ${i + 1} failed (exit ${played.exitCode}): ${played.stderr}`);
  }
}

async function defaultMounts() {
  const started = performance.now();
  const server = await startServer(PORT, [], VIDEOS);
  const readyS = (performance.now() - started) / 1000;
  const firstFrame = await execa(
    'ffmpeg',
    [
      '-v',
      'error',
      '-rtsp_transport',
      'tcp',
      '-i',
      `rtsp://127.0.0.1:${PORT}/video1`,
      '-frames:v',
      '1',
      '-f',
      'null',
      '-',
    ],
    { reject: false },
  );
  const firstFrameS = (performance.now() - started) / 1000;
  if (firstFrame.exitCode !== 0) throw new Error(`ffmpeg could not decode a frame: ${firstFrame.stderr}`);
  await sleep(3_000); // let the first viewer's media stop
  const idle = await measureProcesses(server.pids, seconds);
  const viewers = Array.from({ length: VIDEOS * 2 }, (_, i) => viewer(PORT, i + 1, seconds + 6));
  await sleep(3_000);
  const viewed = await measureProcesses(server.pids, seconds);
  await checkViewers(viewers, 'six mounts');
  await stopServer(server);
  const rows = server.pids.map((pid, i) => ({
    process: i === 0 ? 'supervisor' : `helper video${2 * i - 1}+video${2 * i}`,
    idle_cpu_pct: round(idle.get(pid)!.cpuPct, 1),
    viewed_cpu_pct: round(viewed.get(pid)!.cpuPct, 1),
    rss_mib: round(viewed.get(pid)!.rssMiB, 1),
  }));
  console.table(rows);
  console.log(
    `warm npm start -> server ready: ${round(readyS, 2)} s; -> first decoded frame at a client: ${round(firstFrameS, 2)} s`,
  );
  return {
    ready_s: round(readyS, 2),
    first_frame_s: round(firstFrameS, 2),
    helpers_mean_idle_cpu_pct: round(mean(rows.slice(1).map((row) => row.idle_cpu_pct)), 1),
    helpers_mean_viewed_cpu_pct: round(mean(rows.slice(1).map((row) => row.viewed_cpu_pct)), 1),
    processes: rows,
  };
}

/** The helper's encoder as native/encoder/media-launch.c sets it (one thread, three slices, a 200-ms rate
 *  buffer, main profile): "one encoder's own cost" is this one's. */
const HELPER_ENCODER = [
  'vbv-buf-capacity=200',
  'threads=1',
  'option-string=slices=3',
  '!',
  'video/x-h264,profile=main',
  '!',
  'h264parse',
  'config-interval=-1',
];

interface BarePipeline {
  /** Encode at this bitrate and payload; without it, decode and scale only. */
  kbps?: number;
  /** x264enc's defaults but for the bitrate (sliced threads with zerolatency), as the original
   *  project's pipelines; or the helper's encoder. */
  encoder?: 'defaults' | 'helper';
}

/** Bare `gst-launch-1.0` pipelines, each decoding and scaling the file (and encoding it) in real
 * time: their total CPU over the window. */
async function barePipelines(clip: string, pipelines: BarePipeline[], windowS = seconds): Promise<number> {
  const children = pipelines.map(({ kbps, encoder = 'defaults' }) => {
    const encode =
      kbps === undefined
        ? []
        : [
            'x264enc',
            'tune=zerolatency',
            `speed-preset=${DEFAULT_ENCODER_PRESET}`,
            `bitrate=${kbps}`,
            'key-int-max=30',
            ...(encoder === 'helper' ? HELPER_ENCODER : []),
            '!',
            'rtph264pay',
            '!',
          ];
    return execa(
      'gst-launch-1.0',
      [
        '-q',
        'filesrc',
        `location=${clip}`,
        '!',
        'decodebin',
        '!',
        'videoconvert',
        '!',
        'videoscale',
        '!',
        'video/x-raw,width=640,height=480',
        '!',
        ...encode,
        'fakesink',
        'sync=true',
      ],
      { reject: false },
    );
  });
  await sleep(3_000);
  const figures = await measureProcesses(
    children.map((child) => child.pid!),
    windowS,
  );
  for (const child of children) child.kill('SIGINT');
  await Promise.all(children);
  return totalCpu(figures);
}

async function sharedDecode(clip: string) {
  const port = PORT + 100;
  const server = await startServer(
    port,
    ['--videos', clip, '--start-bitrate', String(DYNAMIC_KBPS), '--max-bitrate', String(DYNAMIC_KBPS)],
    1,
  );
  const viewers = [1, 2].map((mount) => viewer(port, mount, seconds + 6));
  await sleep(3_000);
  const ours = totalCpu(await measureProcesses(server.pids, seconds));
  await checkViewers(viewers, 'static and dynamic mount');
  await stopServer(server);
  const mounts = [STATIC_KBPS, DYNAMIC_KBPS];
  const bare = await barePipelines(
    clip,
    mounts.map((kbps) => ({ kbps })),
  );
  const bareHelperEncoder = await barePipelines(
    clip,
    mounts.map((kbps) => ({ kbps, encoder: 'helper' as const })),
  );
  console.log(
    `one 1280x720 file, static and dynamic mount each watched: ${round(ours, 1)} % of a core (supervisor + helper) vs two bare pipelines ${round(bare, 1)} %: ${round(ours / bare, 2)}x`,
  );
  console.log(
    `  the bare pipelines with the helper's encoder settings (one x264 thread, three slices): ${round(bareHelperEncoder, 1)} %: ${round(ours / bareHelperEncoder, 2)}x`,
  );
  return {
    static_kbps: STATIC_KBPS,
    dynamic_kbps: DYNAMIC_KBPS,
    ours_cpu_pct: round(ours, 1),
    bare_pipelines_cpu_pct: round(bare, 1),
    ratio: round(ours / bare, 2),
    bare_pipelines_helper_encoder_cpu_pct: round(bareHelperEncoder, 1),
    ratio_helper_encoder: round(ours / bareHelperEncoder, 2),
  };
}

/** One encoder's own cost on the bench's frames: a bare decode → scale → encode → payload
 * pipeline at the viewers' bitrate with the helper's encoder, less the same decode and scale alone. */
async function encoderCost(clip: string): Promise<number> {
  // A difference of two noisy figures: over twice the window.
  const withEncoder = await barePipelines(clip, [{ kbps: VIEWER_KBPS, encoder: 'helper' }], 2 * seconds);
  const decodeOnly = await barePipelines(clip, [{}], 2 * seconds);
  return withEncoder - decodeOnly;
}

async function viewersOfOneDynamicMount(clip: string) {
  const port = PORT + 200;
  const counts = [1, 4, 8];
  const cpu: number[] = [];
  for (const count of counts) {
    const server = await startServer(
      port,
      [
        '--videos',
        clip,
        '--encoders-per-video',
        '8',
        '--start-bitrate',
        String(VIEWER_KBPS),
        '--max-bitrate',
        String(VIEWER_KBPS),
      ],
      1,
    );
    const viewers = Array.from({ length: count }, () => viewer(port, 2, seconds + 8));
    await sleep(5_000);
    cpu.push(totalCpu(await measureProcesses(server.pids, seconds)));
    await checkViewers(viewers, `${count} viewers`);
    await stopServer(server);
  }
  const perViewer = (cpu.at(-1)! - cpu[0]!) / (counts.at(-1)! - counts[0]!);
  const encoder = await encoderCost(clip);
  console.table(counts.map((count, i) => ({ viewers: count, cpu_pct: round(cpu[i]!, 1) })));
  console.log(
    `CPU per added viewer of one dynamic mount (1 -> 8 viewers): ${round(perViewer, 2)} % of a core; one encoder alone on these frames: ${round(encoder, 2)} % (target: per viewer <= ${round(1.2 * encoder, 2)} %)`,
  );
  return {
    bitrate_kbps: VIEWER_KBPS,
    viewers: counts,
    cpu_pct: cpu.map((value) => round(value, 1)),
    per_added_viewer_cpu_pct: round(perViewer, 2),
    encoder_alone_cpu_pct: round(encoder, 2),
    per_viewer_over_encoder: round(perViewer / encoder, 2),
  };
}

const dir = mkdtempSync(join(tmpdir(), 'bench-serve-'));
const clip = join(dir, 'hd.mp4');
// 1280x720 H.264 at 30 fps, moving content, long enough that no pipeline loops in a window.
await execa('ffmpeg', [
  '-nostdin',
  '-v',
  'error',
  '-f',
  'lavfi',
  '-i',
  `testsrc2=size=1280x720:rate=30:duration=${2 * seconds + 15}`,
  '-c:v',
  'libx264',
  '-preset',
  'veryfast',
  '-pix_fmt',
  'yuv420p',
  '-y',
  clip,
]);
const results = {
  date: new Date().toISOString(),
  window_s: seconds,
  encoder_preset: DEFAULT_ENCODER_PRESET,
  default_mounts: await defaultMounts(),
  shared_decode: await sharedDecode(clip),
  dynamic_mount_viewers: await viewersOfOneDynamicMount(clip),
};
saveBenchResults('serve', results);
const benchLive = fileURLToPath(new URL('./bench-live.ts', import.meta.url));
await execa(process.execPath, ['--import', 'tsx', benchLive, '--seconds', String(seconds)], { stdio: 'inherit' });
