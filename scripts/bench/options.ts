// `npm run bench` options: the yargs table and their normalisation into BenchOptions, once.
import yargs from 'yargs';
import {
  DEFAULT_DYNAMIC_TRANSPORT,
  DYNAMIC_TRANSPORTS,
  type DynamicTransport,
  strictCommandLine,
} from '../../src/config/options.ts';
import { UsageError } from '../../src/config/usage-error.ts';
import { PROBE_CLIENTS } from '../../src/probe/summary.ts';
import { CLIENT_KINDS, type ClientKind } from './probes/client.ts';
import { checkScheduleFits, DEFAULT_SCHEDULE, parseSchedule, type CapacityStep } from './schedule.ts';

export type Transport = 'udp' | 'tcp';

/** --client's groups: both RTSP clients (the default, as before the browser), or every kind. */
const CLIENT_GROUPS: ReadonlyMap<string, readonly ClientKind[]> = new Map<string, readonly ClientKind[]>([
  ['both', PROBE_CLIENTS],
  ['all', CLIENT_KINDS],
]);

/** What the servers serve: the video itself, or a live RTSP camera serving it. */
export const BENCH_SOURCES = ['file', 'rtsp'] as const;
export type BenchSource = (typeof BENCH_SOURCES)[number];

/** The stamped test video (src/stamp/stamped-sample.ts): fills any bitrate the bench sets, and
 *  tells the probe which frame each picture is. */
export const DEFAULT_VIDEO = 'videos/sample-stamped.mp4';

export interface BenchOptions {
  schedule: CapacityStep[];
  durationS: number;
  video: string;
  source: BenchSource;
  transports: Transport[];
  clients: ClientKind[];
  /** The servers' --dynamic-transport: which transport each viewer of a dynamic mount gets. */
  dynamicTransport: DynamicTransport;
  outDir: string;
}

const LINK = 'Link:';
const RUN = 'Run:';

export function buildBenchParser(argv: string[]) {
  return strictCommandLine(
    yargs(argv)
      .scriptName('npm run bench --')
      .usage(
        '$0 [options]\n\nPlays static and dynamic mounts through emulated bottlenecks (network namespaces, tbf). Needs root.',
      )
      .options({
        schedule: {
          group: LINK,
          type: 'string',
          default: DEFAULT_SCHEDULE,
          describe: 'capacity over time, seconds:kbit/s,... (default: RFC 8867 §5.1)',
        },
        duration: { group: LINK, type: 'number', default: 100, describe: 'seconds of play per transport' },
        transport: {
          group: RUN,
          type: 'string',
          default: 'both',
          choices: ['udp', 'tcp', 'both'],
          describe:
            "RTSP transport of the probe clients; both = udp, then tcp (udp: each client's default, which tries UDP first); chromium plays WebRTC in either pass",
        },
        client: {
          group: RUN,
          type: 'string',
          default: 'both',
          choices: [...CLIENT_KINDS, ...CLIENT_GROUPS.keys()],
          describe:
            "viewers of the dynamic mounts, each on its own link; both = rtspsrc and ffmpeg, all = those and chromium (headless, over WHEP from the server's page), a dynamic mount for each",
        },
        'dynamic-transport': {
          group: RUN,
          type: 'string',
          default: DEFAULT_DYNAMIC_TRANSPORT,
          choices: [...DYNAMIC_TRANSPORTS],
          describe: "the servers' --dynamic-transport (auto sends FFmpeg from UDP to TCP)",
        },
        video: {
          group: RUN,
          type: 'string',
          default: DEFAULT_VIDEO,
          describe: "video to serve, also the probes' reference (the default: stamped, fills any bitrate)",
        },
        source: {
          group: RUN,
          type: 'string',
          default: 'file',
          choices: [...BENCH_SOURCES],
          describe:
            "what the servers serve: the video (file), or a camera serving it live (rtsp: GStreamer's RTSP server, looping the video; delays run from the camera's send)",
        },
        out: { group: RUN, type: 'string', default: 'out', describe: 'results go to <out>/bench-<id>/' },
      }),
  );
}

export interface RawBenchOptions {
  schedule?: unknown;
  duration?: unknown;
  video?: unknown;
  source?: unknown;
  transport?: unknown;
  client?: unknown;
  dynamicTransport?: unknown;
  out?: unknown;
}

function nonEmpty(name: string, raw: unknown): string {
  if (typeof raw !== 'string' || raw.trim() === '')
    throw new UsageError(`--${name} must be a non-empty string, got ${JSON.stringify(raw)}`);
  return raw;
}

function dynamicTransport(raw: unknown): DynamicTransport {
  if (!DYNAMIC_TRANSPORTS.includes(raw as DynamicTransport)) {
    throw new UsageError(
      `--dynamic-transport must be one of ${DYNAMIC_TRANSPORTS.join(', ')}, got ${JSON.stringify(raw)}`,
    );
  }
  return raw as DynamicTransport;
}

export function normalizeBenchOptions(raw: RawBenchOptions): BenchOptions {
  const durationS =
    typeof raw.duration === 'string' && raw.duration.trim() !== '' ? Number(raw.duration) : raw.duration;
  if (typeof durationS !== 'number' || !Number.isFinite(durationS) || durationS < 5 || durationS > 3600) {
    throw new UsageError(`--duration must be a number of seconds from 5 to 3600, got ${JSON.stringify(raw.duration)}`);
  }
  const schedule = parseSchedule(nonEmpty('schedule', raw.schedule));
  checkScheduleFits(schedule, durationS);
  const transport = nonEmpty('transport', raw.transport);
  if (!['udp', 'tcp', 'both'].includes(transport))
    throw new UsageError(`--transport must be udp, tcp or both, got ${JSON.stringify(raw.transport)}`);
  const client = nonEmpty('client', raw.client ?? 'both');
  const clients = CLIENT_GROUPS.get(client) ?? CLIENT_KINDS.filter((kind) => kind === client);
  if (clients.length === 0) {
    throw new UsageError(
      `--client must be ${[...CLIENT_KINDS, ...CLIENT_GROUPS.keys()].join(', ')}, got ${JSON.stringify(raw.client)}`,
    );
  }
  const source = nonEmpty('source', raw.source ?? 'file');
  if (!(BENCH_SOURCES as readonly string[]).includes(source))
    throw new UsageError(`--source must be ${BENCH_SOURCES.join(' or ')}, got ${JSON.stringify(raw.source)}`);
  return {
    schedule,
    durationS,
    video: nonEmpty('video', raw.video),
    source: source as BenchSource,
    transports: transport === 'both' ? ['udp', 'tcp'] : [transport as Transport],
    clients: [...clients],
    dynamicTransport: dynamicTransport(raw.dynamicTransport ?? DEFAULT_DYNAMIC_TRANSPORT),
    outDir: nonEmpty('out', raw.out),
  };
}
