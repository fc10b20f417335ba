// Starts the HTTP side (--http) over what the run already keeps: the supervisors' states, the
// recorders' live figures, the front door's counters.
import type { ServeOptions } from '../config/options.ts';
import type { AuthGuard } from '../front-door/auth.ts';
import type { FrontDoor } from '../front-door/server.ts';
import type { LiveSource } from '../http/live-source.ts';
import { DEFAULT_MAX_EVENT_STREAMS, startHttpServer, type HttpServer } from '../http/server.ts';
import type { MountStatus } from '../supervisor/helper-supervisor.ts';
import { urlHostPart } from '../ui/stream-table.ts';
import type { WhepGateway } from '../whep/whep-gateway.ts';
import type { RunMetrics } from './run-metrics.ts';

const HEADER_TIMEOUT_MS = 10_000;
/** Node's own default: a browser's next fetch comes well within it. */
const KEEP_ALIVE_MS = 5_000;

export interface HttpSideContext {
  options: ServeOptions;
  mounts: readonly MountStatus[];
  metrics: RunMetrics;
  frontDoor: FrontDoor;
  auth: AuthGuard | undefined;
  /** Host to put in the RTSP URLs it lists. */
  urlHost: string;
  whep: WhepGateway;
}

function liveSource({ options, mounts, metrics, frontDoor, urlHost }: HttpSideContext): LiveSource {
  const host = urlHostPart(urlHost);
  return {
    streams: () =>
      mounts.map(({ stream, state }) => ({
        spec: stream,
        url: `rtsp://${host}:${options.port}${stream.mount}`,
        live: metrics.recorders.get(stream.name)!.live(),
        helperPid: state.kind === 'running' ? state.pid : undefined,
      })),
    frontDoor: () => frontDoor.counters(),
    elapsedS: () => metrics.elapsedS(),
  };
}

/** Undefined with `--http 0`. */
export async function startHttpSide(context: HttpSideContext): Promise<HttpServer | undefined> {
  const { options } = context;
  if (options.httpPort === 0) return undefined;
  return startHttpServer({
    host: options.host,
    port: options.httpPort,
    source: liveSource(context),
    auth: context.auth,
    whep: context.whep,
    limits: {
      maxConnections: options.maxConnections,
      maxEventStreams: DEFAULT_MAX_EVENT_STREAMS,
      headerTimeoutMs: Math.min(HEADER_TIMEOUT_MS, options.idleTimeoutS * 1000),
      idleTimeoutMs: Math.min(KEEP_ALIVE_MS, options.idleTimeoutS * 1000),
    },
  });
}
