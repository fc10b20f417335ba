// The HTTP side (--http): the live dashboard, /metrics for Prometheus and the JSON API, on the
// RTSP side's host, behind the same credentials, bounded like it. docs/http.md.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { authorize, type AuthGuard } from '../front-door/auth.ts';
import { streamJson, streamsJson } from './api-json.ts';
import { loadAssets } from './assets.ts';
import { closeAfterClientError } from './client-error.ts';
import { HTTP_COUNTER_OF_REFUSAL, zeroHttpCounters, type HttpCounters } from './counters.ts';
import { EventStreams } from './event-streams.ts';
import type { LiveSource } from './live-source.ts';
import { PrometheusExporter } from './prometheus.ts';
import { routeOf, type Route } from './routes.ts';
import { send, sendError, sendJson } from './send.ts';
import { answerWhep, isWhepPath, isWhepPreflight, WHEP_CORS } from './whep-endpoint.ts';
import type { WhepGateway } from '../whep/whep-gateway.ts';

export interface HttpLimits {
  /** Connections open at once; more are closed by Node as they come. */
  maxConnections: number;
  /** Event streams open at once; more get 503. */
  maxEventStreams: number;
  /** A request's head must arrive within this, from the connection's start or the request's first byte. */
  headerTimeoutMs: number;
  /** A connection idle after an answer (keep-alive) is closed after this. */
  idleTimeoutMs: number;
}

export const DEFAULT_MAX_EVENT_STREAMS = 32;

export interface HttpOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  source: LiveSource;
  /** Ask every request for the RTSP credentials (401 with a challenge otherwise). */
  auth?: AuthGuard;
  limits: HttpLimits;
  /** WHEP signalling; without it /whep/ paths are 404. */
  whep?: WhepGateway;
}

export interface HttpServer {
  readonly address: AddressInfo;
  /** A snapshot. */
  counters(): HttpCounters;
  close(): Promise<void>;
}

/** What answering a request needs: one per server. */
interface Context {
  source: LiveSource;
  auth: AuthGuard | undefined;
  counters: HttpCounters;
  assets: ReturnType<typeof loadAssets>;
  exporter: PrometheusExporter;
  events: EventStreams;
  whep: WhepGateway | undefined;
}

async function answer(
  route: Route,
  request: IncomingMessage,
  response: ServerResponse,
  context: Context,
): Promise<void> {
  switch (route.kind) {
    case 'asset': {
      const asset = context.assets.get(route.path)!;
      return send(response, 200, asset.contentType, asset.body);
    }
    case 'metrics':
      return send(response, 200, context.exporter.contentType, await context.exporter.render());
    case 'streams':
      return sendJson(response, 200, streamsJson(context.source));
    case 'stream': {
      const stream = context.source.streams().find(({ spec }) => spec.name === route.name);
      return stream
        ? sendJson(response, 200, streamJson(stream))
        : sendJson(response, 404, { error: `no stream named ${route.name}` });
    }
    case 'events':
      if (request.method === 'HEAD') return send(response, 200, 'text/event-stream; charset=utf-8', '');
      if (!context.events.add(response))
        sendError(response, 503, 'too many event streams open; try again later', { 'Retry-After': '5' });
      return;
    case 'whep':
    case 'whep-session':
      if (!context.whep) return sendError(response, 404, 'not found');
      return answerWhep(route, request, response, context.whep);
    case 'not-found':
      return sendError(response, 404, 'not found');
    case 'method-not-allowed':
      return sendError(response, 405, `only ${route.allow}`, { Allow: route.allow });
  }
}

function authorized(
  request: IncomingMessage,
  response: ServerResponse,
  auth: AuthGuard,
  counters: HttpCounters,
): boolean {
  const header = request.headers.authorization;
  const verdict = authorize(
    {
      method: request.method ?? 'GET',
      url: request.url ?? '',
      headers: new Map([['authorization', header === undefined ? [] : [header]]]),
    },
    auth,
    request.socket.remoteAddress ?? '',
  );
  if (verdict.ok) return true;
  const refused = HTTP_COUNTER_OF_REFUSAL[verdict.refusal];
  if (refused) counters[refused]++;
  sendError(response, 401, 'authentication required', {
    'WWW-Authenticate': [...verdict.challenges],
    ...(isWhepPath(request.url) ? WHEP_CORS : {}),
  });
  return false;
}

export async function startHttpServer(options: HttpOptions): Promise<HttpServer> {
  const counters = zeroHttpCounters();
  const context: Context = {
    source: options.source,
    auth: options.auth,
    counters,
    assets: loadAssets(),
    exporter: new PrometheusExporter(options.source, () => ({ ...counters })),
    events: new EventStreams(options.limits.maxEventStreams, () => streamsJson(options.source)),
    whep: options.whep,
  };
  const sockets = new Set<Socket>();
  // Node checks the head timeout of every connection only this often (30 s by default, three times
  // the timeout itself): every second, or every quarter of a shorter timeout, a connection outstays
  // its timeout by at most that.
  const connectionsCheckingInterval = Math.max(50, Math.min(1_000, options.limits.headerTimeoutMs / 4));
  const server = createServer({ connectionsCheckingInterval }, (request, response) => {
    if (
      context.auth &&
      !isWhepPreflight(request.method, request.url) &&
      !authorized(request, response, context.auth, context.counters)
    )
      return;
    answer(routeOf(request.method ?? '', request.url ?? ''), request, response, context).catch((error: unknown) => {
      if (!response.headersSent)
        sendError(response, 500, `internal error: ${error instanceof Error ? error.message : String(error)}`);
      else response.destroy();
    });
  });
  server.maxConnections = options.limits.maxConnections;
  server.headersTimeout = options.limits.headerTimeoutMs;
  server.requestTimeout = options.limits.headerTimeoutMs;
  server.keepAliveTimeout = options.limits.idleTimeoutMs;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', closeAfterClientError);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.host, port: options.port, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    address: server.address() as AddressInfo,
    counters: () => ({ ...counters }),
    async close() {
      context.events.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
