// npm run bench:viewers: one dynamic mount, two rtspsrc viewers through links of their own (e.g.
// 3000 and 800 kbit/s), first with an encoder per viewer, then with one shared encoder
// (--encoders-per-video 0). Per viewer: what its link carried, what the bottleneck dropped, how
// many frames it decoded, and the bitrate its encoder ran at. Needs root (namespaces, tbf).
import { mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { clipTiming } from '../../src/probe/reference.ts';
import { round } from '../../src/metrics/round.ts';
import { startServer } from '../lib/server.ts';
import { nowMs } from './clock.ts';
import { stopChild } from './probes/child.ts';
import { startProbeClient, type ProbeStop } from './probes/client.ts';
import { startTcSampler, type QdiscSample } from './probes/tc.ts';
import { waitForStreams, WARM_UP_TIMEOUT_S } from './warm-up.ts';
import { Teardown } from './teardown.ts';
import { createTopology } from './topology.ts';

export const VIEWER_MODES = ['per-viewer', 'shared'] as const;
export type ViewerMode = (typeof VIEWER_MODES)[number];

export interface ViewersBenchOptions {
  video: string;
  /** Seconds of play per mode, from when both links carry their stream. */
  durationS: number;
  /** Seconds at the start of the play that the figures leave out: the controllers' climb. */
  settleS: number;
  linksKbps: readonly number[];
  queueMs: number;
  /** The per-viewer mode's --encoders-per-video. */
  encoders: number;
  modes: readonly ViewerMode[];
  outDir: string;
  prefix?: string;
  basePort?: number;
  log?: (line: string) => void;
  teardown?: Teardown;
}

export interface ViewerResult {
  name: string;
  capacity_kbps: number;
  /** What the bottleneck passed towards the viewer, kbit/s, over the settled window. */
  throughput_kbps: number;
  utilisation: number;
  /** Packets the bottleneck dropped, of those offered to it. */
  loss_pct: number;
  /** Frames the viewer decoded, of those the source produced in the window. */
  frames_decoded_pct: number;
  /** The encoder it played and that encoder's mean bitrate setting in the window. */
  encoder: number | null;
  encoder_kbps: number | null;
}

export interface ModeResult {
  mode: ViewerMode;
  encoders_per_video: number;
  viewers: ViewerResult[];
}

export interface ViewersResults {
  date: string;
  video: string;
  duration_s: number;
  settle_s: number;
  queue_ms: number;
  modes: ModeResult[];
}

const DYNAMIC_MOUNT = 'video2';

/** Counter deltas of a qdisc between the first and last samples inside [fromMs, toMs]. */
function linkFigures(samples: readonly QdiscSample[], fromMs: number, toMs: number) {
  const inside = samples.filter((sample) => sample.atMs >= fromMs && sample.atMs <= toMs);
  const first = inside[0];
  const last = inside.at(-1);
  if (!first || !last || last.atMs <= first.atMs) return { kbps: 0, lossPct: 0 };
  const packets = last.packets - first.packets;
  const drops = last.drops - first.drops;
  return {
    kbps: ((last.bytes - first.bytes) * 8) / (last.atMs - first.atMs),
    lossPct: packets + drops > 0 ? (100 * drops) / (packets + drops) : 0,
  };
}

/** Each viewer's encoder (by the address it played from) and that encoder's mean setting between the two times. */
function encoderFigures(
  runDir: string,
  fromMs: number,
  toMs: number,
): Map<string, { encoder: number; kbps: number | undefined }> {
  let startedAtMs = 0;
  const encoderOf = new Map<string, number>();
  const settings = new Map<number, number[]>();
  for (const line of readFileSync(join(runDir, 'metrics.ndjson'), 'utf8').split('\n')) {
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (record.type === 'header' && typeof record.started_at === 'string') startedAtMs = Date.parse(record.started_at);
    if (record.stream !== DYNAMIC_MOUNT) continue;
    const encoder = typeof record.encoder === 'number' ? record.encoder : 0;
    if (record.type === 'client' && record.event === 'playing' && typeof record.address === 'string')
      encoderOf.set(record.address, encoder);
    const atMs = startedAtMs + (record.t_ms as number);
    if (record.type === 'bitrate' && typeof record.bitrate_kbps === 'number' && atMs >= fromMs && atMs <= toMs) {
      settings.set(encoder, [...(settings.get(encoder) ?? []), record.bitrate_kbps]);
    }
  }
  return new Map(
    [...encoderOf].map(([address, encoder]) => {
      const values = settings.get(encoder) ?? [];
      return [
        address,
        { encoder, kbps: values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : undefined },
      ];
    }),
  );
}

async function runMode(
  options: Required<ViewersBenchOptions>,
  mode: ViewerMode,
  dir: string,
  fps: number,
): Promise<ModeResult> {
  const { log, teardown } = options;
  const encoders = mode === 'shared' ? 0 : options.encoders;
  const prefix = `${options.prefix}${mode === 'shared' ? 's' : 'p'}`;
  const names = options.linksKbps.map((kbps) => `${kbps} kbit/s`);
  log(`[${mode}] links ${names.join(', ')} (queue ${options.queueMs} ms); --encoders-per-video ${encoders}`);
  const topology = await createTopology({
    prefix,
    variants: names,
    rateKbps: options.linksKbps,
    queueMs: options.queueMs,
  });
  const removeTopology = teardown.add(`namespaces ${prefix}-*`, () => topology.remove());
  const out = join(dir, mode);
  const server = startServer(
    [
      '--videos',
      options.video,
      '--host',
      '0.0.0.0',
      '--port',
      String(options.basePort),
      '--helper-ports',
      String(options.basePort + 1),
      '--encoders-per-video',
      String(encoders),
      '--out',
      out,
      '--quiet',
    ],
    { netns: topology.serverNs },
  );
  const stopServer = teardown.add(`server (${mode})`, () => stopChild(server.process, 'SIGTERM', 10_000));
  await server.waitForOutput(/RTSP server ready/, 60_000);

  const samplers = topology.links.map((link) => startTcSampler(topology.serverNs, link.serverDevice));
  const stopSamplers = teardown.add(`tc samplers (${mode})`, () =>
    Promise.all(samplers.map((sampler) => sampler.stop())),
  );
  const viewers = topology.links.map((link, i) =>
    startProbeClient(
      'rtspsrc',
      link.clientNs,
      `rtsp://${link.serverAddress}:${options.basePort}/${DYNAMIC_MOUNT}`,
      'udp',
      { framesPath: join(out, `viewer-${options.linksKbps[i]}.ndjson`) },
    ),
  );
  let stopping: Promise<ProbeStop[]> | undefined;
  const stopViewers = teardown.add(
    `viewers (${mode})`,
    () => (stopping ??= Promise.all(viewers.map((viewer) => viewer.stop()))),
  );
  if ((await waitForStreams(samplers, options.linksKbps)) === undefined)
    log(
      `[${mode}] WARNING: a link carried under a quarter of its capacity after ${WARM_UP_TIMEOUT_S} s; playing anyway`,
    );
  const startMs = nowMs();
  log(`[${mode}] both viewers play; ${options.durationS} s, figures from ${options.settleS} s on`);
  await sleep(options.durationS * 1000);
  const fromMs = startMs + options.settleS * 1000;
  const toMs = nowMs();

  await stopServer();
  await sleep(1_500);
  await stopViewers();
  const played = await stopping!;
  await stopSamplers();
  await removeTopology();

  const encodersByAddress = encoderFigures(realpathSync(join(out, 'latest')), fromMs, toMs);
  const windowS = (toMs - fromMs) / 1000;
  return {
    mode,
    encoders_per_video: encoders,
    viewers: topology.links.map((link, i): ViewerResult => {
      const capacity = options.linksKbps[i]!;
      const { kbps, lossPct } = linkFigures(samplers[i]!.samples, fromMs, toMs);
      const decoded = played[i]!.frames.filter(
        (frame) => frame.decoded_unix_ms >= fromMs && frame.decoded_unix_ms <= toMs,
      ).length;
      const encoder = encodersByAddress.get(link.clientAddress);
      if (played[i]!.frames.length === 0)
        log(`[${mode}] ${names[i]}: no frame decoded; the viewer said: ${played[i]!.stderrTail.trim().slice(-300)}`);
      return {
        name: names[i]!,
        capacity_kbps: capacity,
        throughput_kbps: round(kbps, 0),
        utilisation: round(kbps / capacity, 3),
        loss_pct: round(lossPct, 2),
        frames_decoded_pct: round((100 * decoded) / (windowS * fps), 1),
        encoder: encoder?.encoder ?? null,
        encoder_kbps: encoder?.kbps === undefined ? null : round(encoder.kbps, 0),
      };
    }),
  };
}

export async function runViewersBench(
  options: ViewersBenchOptions,
): Promise<{ dir: string; resultsPath: string; results: ViewersResults }> {
  const log = options.log ?? ((line: string) => console.log(line));
  const teardown = options.teardown ?? new Teardown((message) => log(message));
  const date = new Date();
  const dir = join(options.outDir, `bench-viewers-${date.toISOString().replaceAll(':', '-').slice(0, 19)}`);
  mkdirSync(dir, { recursive: true });
  const full = { ...options, prefix: options.prefix ?? 'abrv', basePort: options.basePort ?? 19300, log, teardown };
  const { frameMs } = await clipTiming(options.video);
  try {
    const modes: ModeResult[] = [];
    for (const mode of options.modes) modes.push(await runMode(full, mode, dir, 1000 / frameMs));
    const results: ViewersResults = {
      date: date.toISOString(),
      video: options.video,
      duration_s: options.durationS,
      settle_s: options.settleS,
      queue_ms: options.queueMs,
      modes,
    };
    const resultsPath = join(dir, 'results.json');
    writeFileSync(resultsPath, `${JSON.stringify(results, null, 2)}\n`);
    return { dir, resultsPath, results };
  } finally {
    await teardown.run();
  }
}

export function viewersTable(results: ViewersResults): string[] {
  const header = [
    'mode',
    'viewer link',
    'throughput kbit/s',
    'utilisation',
    'loss %',
    'frames decoded %',
    'encoder',
    'encoder kbit/s',
  ];
  const rows = results.modes.flatMap((mode) =>
    mode.viewers.map((viewer) => [
      mode.mode,
      viewer.name,
      String(viewer.throughput_kbps),
      `${(viewer.utilisation * 100).toFixed(0)} %`,
      viewer.loss_pct.toFixed(2),
      viewer.frames_decoded_pct.toFixed(1),
      viewer.encoder === null ? '-' : `#${viewer.encoder}`,
      viewer.encoder_kbps === null ? '-' : String(viewer.encoder_kbps),
    ]),
  );
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  return [header, ...rows].map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd(),
  );
}
