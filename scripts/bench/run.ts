// One bench run: per transport, build the topology, start two servers and the probes, play the
// schedule, stop everything, analyse. The steps only; each concern lives in its own module.
import { existsSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runId } from '../../src/metrics/run-dir.ts';
import { writeReport } from '../../src/report/write-report.ts';
import { ensureStampedSample } from '../../src/stamp/stamped-sample.ts';
import { clipTiming } from '../../src/probe/reference.ts';
import { REPO_ROOT, startServer, type RunningServer } from '../lib/server.ts';
import { analyseVariant } from './analysis.ts';
import { renderBenchCharts } from './charts.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { nowMs } from './clock.ts';
import { DEFAULT_VIDEO, type BenchOptions, type Transport } from './options.ts';
import { Camera, ensureCameraClip } from '../../test/support/camera.ts';
import { probeVideo } from '../../src/inputs/probe.ts';
import { stopChild } from './probes/child.ts';
import { startClient, type ClientStop } from './probes/client.ts';
import { startPing } from './probes/ping.ts';
import { startTcSampler } from './probes/tc.ts';
import { waitForStreams, WARM_UP_TIMEOUT_S } from './warm-up.ts';
import { probeResultOf, scheduleJson, type BenchResults, type VariantResult } from './results.ts';
import { round } from '../../src/metrics/round.ts';
import type { EncoderPreset } from '../../src/config/options.ts';
import type { CapacityStep } from './schedule.ts';
import {
  emptySeries,
  readServerMetrics,
  serverStartedAtMs,
  type MountSeries,
  type SentFrame,
} from './server-metrics.ts';
import { viewerFigures, type ClipTiming, type ViewerFigures, type ViewerPoint } from './viewer-figures.ts';
import { BROWSER_NOT_MEASURED, browserFigures, decodedTimesMs, type BrowserFigures } from './browser-figures.ts';
import { writeProbeResults } from '../../src/report/probe-results.ts';
import { Teardown } from './teardown.ts';
import { createTopology } from './topology.ts';
import { benchVariants, copiesOf, SERVERS, type ServerKey } from './variants.ts';

export interface BenchRunOptions extends BenchOptions {
  /** Namespace/device prefix, so that two benches never share names. */
  prefix?: string;
  /** Port of server a's front door (inside the server namespace). */
  basePort?: number;
  /** tbf queue, ms of traffic at the link rate. */
  queueMs?: number;
  /** Seconds of ping before the streams start: the base RTT. */
  preRollS?: number;
  /** The servers' --encoder-preset; theirs by default. */
  encoderPreset?: EncoderPreset;
  log?: (line: string) => void;
  /** Shared with the caller's signal handlers. */
  teardown?: Teardown;
}

export interface BenchRun {
  dir: string;
  resultsPath: string;
  results: BenchResults;
}

async function resolveVideo(video: string, log: (line: string) => void): Promise<string> {
  const path = resolve(video);
  if (existsSync(path)) return path;
  const defaultPath = resolve(REPO_ROOT, DEFAULT_VIDEO);
  if (path === defaultPath || video === DEFAULT_VIDEO)
    return ensureStampedSample(join(REPO_ROOT, 'videos'), (file) => log(`generating ${file}`));
  throw new Error(`--video ${JSON.stringify(video)}: no such file`);
}

/** Seconds until every link carries at least a quarter of its capacity; undefined at the timeout. */
/**
 * Server a's report (written at its stop) again, with the link capacity on its dynamic mount's
 * bitrate chart: the schedule moved onto the server's clock (time 0 of the schedule is `startMs`;
 * before it the links ran at the first rate).
 */
async function rebuildReportWithCapacity(
  runDir: string,
  schedule: readonly CapacityStep[],
  startMs: number,
  log: (line: string) => void,
): Promise<void> {
  const offsetS = (startMs - serverStartedAtMs(runDir)) / 1000;
  const capacity = schedule.map((step, i) => ({ tS: i === 0 ? 0 : step.tS + offsetS, kbps: step.kbps }));
  const report = await writeReport(runDir, { capacity });
  log(`report of the static 5000 and dynamic mounts, with the link capacity: ${report.htmlPath}`);
}

interface BenchCamera {
  camera: Camera;
  /** The servers serve a camera at its own size (a live source's is otherwise the --max-size box). */
  sizeArgs: string[];
}

/** The video served live by a camera in the servers' namespace, on its loopback. */
async function startCamera(options: { video: string; basePort: number }, netns: string): Promise<BenchCamera> {
  const info = await probeVideo(options.video);
  if (!info.ok) throw new Error(`--video ${options.video}: ${info.reason}`);
  const camera = new Camera({ port: options.basePort + 40, file: await ensureCameraClip(options.video), netns });
  await camera.start();
  return { camera, sizeArgs: ['--width', String(info.width), '--height', String(info.height)] };
}

/** A server's HTTP side (its page and WHEP), past its helpers' ports: on only when a browser watches. */
const HTTP_PORT_OFFSET = 8;

async function stopServer(server: RunningServer): Promise<void> {
  await stopChild(server.process, 'SIGTERM', 10_000);
}

interface Watched {
  decodedTimesMs: number[];
  figures: ViewerFigures;
  /** The probe's frames with their delay and SSIM; none from a browser. */
  points?: ViewerPoint[];
  browser?: BrowserFigures;
  /** Why the viewer decoded nothing, when it did not. */
  problem?: string;
}

/** A variant's viewer's figures from what it gave at its stop: a probe's frames or a browser's readings. */
function watchedBy(
  stop: ClientStop,
  mount: MountSeries,
  clip: ClipTiming,
  startMs: number,
  endMs: number,
  cameraSent: readonly SentFrame[] | undefined,
): Watched {
  if (stop.kind === 'browser') {
    const decoded = decodedTimesMs(stop.samples);
    const { figures, browser } = browserFigures(stop.samples, stop.firstFrameMs, startMs, endMs);
    const problems = stop.problems.join('; ') || 'no error';
    return {
      decodedTimesMs: decoded,
      figures,
      browser,
      ...(decoded.length === 0 ? { problem: `no frame decoded in the browser: ${problems.slice(-300)}` } : {}),
    };
  }
  const viewer = cameraSent
    ? viewerFigures(stop.frames, cameraSent, clip, startMs, endMs, 'camera')
    : viewerFigures(stop.frames, mount.frames, clip, startMs, endMs);
  return {
    decodedTimesMs: stop.frames.map((frame) => frame.decoded_unix_ms),
    figures: viewer.figures,
    points: viewer.points,
    ...(stop.frames.length === 0
      ? { problem: `no frame decoded; the probe said: ${stop.stderrTail.trim().slice(-300)}` }
      : {}),
  };
}

async function runTransport(
  options: Required<Omit<BenchRunOptions, 'teardown' | 'encoderPreset'>> &
    Pick<BenchRunOptions, 'encoderPreset'> & { teardown: Teardown },
  transport: Transport,
  dir: string,
): Promise<VariantResult[]> {
  const { log, teardown } = options;
  const variants = benchVariants(options.clients);
  const prefix = `${options.prefix}${transport === 'udp' ? 'u' : 't'}`;
  log(
    `[${transport}] building the links (${variants.length} × tbf ${options.schedule[0]!.kbps} kbit/s, queue ${options.queueMs} ms)`,
  );
  const topology = await createTopology({
    prefix,
    variants: variants.map((v) => v.name),
    rateKbps: options.schedule[0]!.kbps,
    queueMs: options.queueMs,
  });
  const removeTopology = teardown.add(`namespaces ${prefix}-*`, () => topology.remove());
  const camera = options.source === 'rtsp' ? await startCamera(options, topology.serverNs) : undefined;
  const stopCamera = teardown.add(`camera (${transport})`, async () => camera?.camera.stop());

  const serverOut = (key: ServerKey): string => join(dir, transport, `server-${key}`);
  const httpOn = variants.some((variant) => variant.client === 'chromium');
  const servers = new Map(
    SERVERS.map((spec) => {
      const port = options.basePort + spec.portOffset;
      const videos = Array.from({ length: copiesOf(spec.key, variants) }, () => camera?.camera.url ?? options.video);
      const args = [
        '--videos',
        ...videos,
        ...(camera?.sizeArgs ?? []),
        '--host',
        '0.0.0.0',
        '--port',
        String(port),
        '--helper-ports',
        String(port + 1),
        ...(httpOn ? ['--http', String(port + HTTP_PORT_OFFSET)] : []),
        '--static-bitrate',
        String(spec.staticKbps),
        '--dynamic-transport',
        options.dynamicTransport,
        '--out',
        serverOut(spec.key),
        '--quiet',
        ...(options.encoderPreset ? ['--encoder-preset', options.encoderPreset] : []),
      ];
      return [spec.key, { port, server: startServer(args, { netns: topology.serverNs }) }] as const;
    }),
  );
  const stopServers = teardown.add(`servers (${transport})`, () =>
    Promise.all([...servers.values()].map(({ server }) => stopServer(server))),
  );
  await Promise.all(
    [...servers.values()].map(({ server }) =>
      server.waitForOutput(httpOn ? /RTSP server ready[^]*dashboard on http/ : /RTSP server ready/, 60_000),
    ),
  );

  const samplers = topology.links.map((link) => startTcSampler(topology.serverNs, link.serverDevice));
  const pings = topology.links.map((link) => startPing(link.clientNs, link.serverAddress));
  const stopProbes = teardown.add(`probes (${transport})`, () =>
    Promise.all([...samplers, ...pings].map((probe) => probe.stop())),
  );
  log(`[${transport}] servers ready; ${options.preRollS} s of ping for the base RTT`);
  await sleep(options.preRollS * 1000);

  const clientsStartedMs = nowMs();
  const clients = variants.map((variant, i) => {
    const link = topology.links[i]!;
    const port = servers.get(variant.server)!.port;
    const target = {
      rtspUrl: `rtsp://${link.serverAddress}:${port}/${variant.mount}`,
      pageUrl: httpOn ? `http://${link.serverAddress}:${port + HTTP_PORT_OFFSET}/` : undefined,
      mount: variant.mount,
    };
    return startClient(variant.client, link.clientNs, target, transport, {
      reference: options.video,
      framesPath: join(dir, transport, `probe-${variant.name.replaceAll(' ', '-')}.ndjson`),
    });
  });
  // One stop per client, whether the run ends here or teardown gets there first.
  let clientsStopping: Promise<Awaited<ReturnType<(typeof clients)[number]['stop']>>[]> | undefined;
  const stopAllClients = () => (clientsStopping ??= Promise.all(clients.map((client) => client.stop())));
  teardown.add(`clients (${transport})`, stopAllClients);
  await Promise.all(clients.map((client) => client.playing));
  const warmS = await waitForStreams(
    samplers,
    samplers.map(() => options.schedule[0]!.kbps),
  );
  // Time 0 of the schedule: every link carries its stream (media start takes seconds: encoder,
  // decoder and first keyframe for three viewers at once on a small machine).
  const startMs = nowMs();
  if (warmS === undefined)
    log(
      `[${transport}] WARNING: some link carried under a quarter of its capacity after ${WARM_UP_TIMEOUT_S} s; playing anyway, see the figures`,
    );
  else
    log(
      `[${transport}] streams flowing ${((startMs - clientsStartedMs) / 1000).toFixed(1)} s after the clients started; playing ${variants.map((v) => v.name).join(', ')} for ${options.durationS} s`,
    );
  // Per link, when each step was in effect: spawning `tc` on a loaded machine takes a while, and
  // a link's settling is timed from its own change.
  const appliedS: number[][] = topology.links.map(() => [0]);
  for (const step of options.schedule.slice(1)) {
    await sleep(startMs + step.tS * 1000 - nowMs());
    const appliedMs = await topology.setRate(step.kbps);
    appliedMs.forEach((atMs, i) => appliedS[i]!.push(round((atMs - startMs) / 1000, 3)));
    log(
      `[${transport}] t=${step.tS} s: capacity ${step.kbps} kbit/s (in effect ${Math.round(Math.min(...appliedMs) - startMs - step.tS * 1000)}..${Math.round(Math.max(...appliedMs) - startMs - step.tS * 1000)} ms later)`,
    );
  }
  await sleep(startMs + options.durationS * 1000 - nowMs());

  // Servers first, so that every frame they sent has 1.5 s to cross the queue and be decoded.
  await stopServers();
  await sleep(1_500);
  const stopped = await stopAllClients();
  await stopProbes();
  await stopCamera();
  await removeTopology();
  samplers.forEach((sampler, i) => {
    if (sampler.skipped.length > 0)
      log(
        `[${transport}] ${variants[i]!.name}: ${sampler.skipped.length} tc sample(s) skipped, e.g. ${sampler.skipped[0]}`,
      );
  });

  const runDirs = new Map(SERVERS.map((spec) => [spec.key, realpathSync(join(serverOut(spec.key), 'latest'))]));
  const metrics = new Map([...runDirs].map(([key, runDir]) => [key, readServerMetrics(runDir)]));
  const clip = await clipTiming(options.video);
  const endMs = startMs + options.durationS * 1000;
  const results = variants.map((variant, i): VariantResult => {
    const pingReplies = pings[i]!.replies;
    const before = pingReplies.filter((reply) => reply.atMs < startMs).map((reply) => reply.rttMs);
    const mount = metrics.get(variant.server)!.get(variant.mount) ?? emptySeries();
    const watched = watchedBy(stopped[i]!, mount, clip, startMs, endMs, camera?.camera.sent);
    if (watched.problem !== undefined) log(`[${transport}] ${variant.name}: ${watched.problem}`);
    const figures = analyseVariant({
      startMs,
      durationS: options.durationS,
      schedule: options.schedule,
      appliedS: appliedS[i]!,
      baseRttMs: before.length > 0 ? Math.min(...before) : undefined,
      qdisc: samplers[i]!.samples,
      pings: pingReplies,
      decodedTimesMs: watched.decodedTimesMs,
      ...(watched.points !== undefined ? { viewerPoints: watched.points } : {}),
      mount,
    });
    const staticKbps =
      variant.mode === 'static' ? SERVERS.find((server) => server.key === variant.server)!.staticKbps : undefined;
    return {
      name: variant.name,
      mode: variant.mode,
      transport,
      client: variant.client,
      // What the server gave the viewer: a client sent from UDP to TCP (461) says so here.
      viewer_transport: mount.viewerTransports.at(-1) ?? null,
      ...(staticKbps !== undefined ? { static_kbps: staticKbps } : {}),
      ...figures,
      ...watched.figures,
      ...(watched.browser !== undefined ? { browser: watched.browser, not_measured: { ...BROWSER_NOT_MEASURED } } : {}),
    };
  });
  for (const [key, runDir] of runDirs)
    writeProbeResults(
      runDir,
      results.flatMap((result, i) => (variants[i]!.server === key ? [probeResultOf(result, variants[i]!.mount)] : [])),
    );
  await rebuildReportWithCapacity(runDirs.get('a')!, options.schedule, startMs, log);
  return results;
}

export async function runBench(options: BenchRunOptions): Promise<BenchRun> {
  const log = options.log ?? ((line: string) => console.log(line));
  const teardown = options.teardown ?? new Teardown((message) => log(message));
  const started = new Date();
  const id = runId(started);
  const dir = join(options.outDir, `bench-${id}`);
  mkdirSync(dir, { recursive: true });
  try {
    const video = await resolveVideo(options.video, log);
    const full = {
      ...options,
      video,
      prefix: options.prefix ?? 'abrb',
      basePort: options.basePort ?? 19000,
      queueMs: options.queueMs ?? 300,
      preRollS: options.preRollS ?? 3,
      log,
      teardown,
    };
    const variants: VariantResult[] = [];
    for (const transport of options.transports) variants.push(...(await runTransport(full, transport, dir)));
    const results: BenchResults = {
      id,
      started_at: started.toISOString(),
      schedule: scheduleJson(options.schedule),
      duration_s: options.durationS,
      transports: options.transports,
      clients: options.clients,
      dynamic_transport: options.dynamicTransport,
      video,
      source: options.source,
      queue_ms: full.queueMs,
      variants,
    };
    const resultsPath = join(dir, 'results.json');
    writeFileSync(resultsPath, `${JSON.stringify(results, null, 2)}\n`);
    await renderBenchCharts(results, dir, log);
    return { dir, resultsPath, results };
  } finally {
    await teardown.run();
  }
}
