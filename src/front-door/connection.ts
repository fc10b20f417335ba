import type { Socket } from 'node:net';
import { COUNTER_OF_REFUSAL, COUNTER_OF_STATUS, type CounterName } from './counters.ts';
import type { AuthGuard } from './auth.ts';
import type { FrontDoorLog } from './log.ts';
import { RequestParser, type ParserLimits } from './request-parser.ts';
import { errorResponse, serializeResponse, type RtspResponse } from './responses.ts';
import { hostOfAddress, route, type MountLookup } from './route.ts';

export interface ConnectionLimits extends ParserLimits {
  /** Close a connection that has sent and received nothing for this long. */
  readonly idleTimeoutMs: number;
  /** Close a connection whose request is not complete this long after its first byte. */
  readonly headerTimeoutMs: number;
}

export interface ConnectionContext {
  readonly limits: ConnectionLimits;
  readonly lookupMount: MountLookup;
  readonly auth: AuthGuard | undefined;
  readonly count: (counter: CounterName) => void;
  readonly log: FrontDoorLog;
}

type DropCause = 'interleaved' | 'idle-timeout' | 'header-timeout' | 'evicted';
const COUNTER_OF_DROP: Record<DropCause, CounterName> = {
  interleaved: 'interleaved',
  evicted: 'evicted',
  'idle-timeout': 'idleTimeouts',
  'header-timeout': 'headerTimeouts',
};

export interface ServedConnection {
  /** True once a well-formed request has arrived and been answered: the client speaks RTSP. */
  readonly answered: boolean;
  /** Closes it to make room for a newer one. */
  evict(): void;
}

/** Answers the requests of one client in order, until it leaves, idles or misbehaves. */
export function serveConnection(
  socket: Socket,
  { limits, lookupMount, auth, count, log }: ConnectionContext,
): ServedConnection {
  const remote = remoteOf(socket);
  const peers = { localAddress: socket.localAddress ?? 'localhost', remoteAddress: socket.remoteAddress ?? '' };
  const parser = new RequestParser(limits);
  let headerTimer: NodeJS.Timeout | undefined;
  let closing = false;
  let answeredAny = false;

  const clearHeaderTimer = (): void => {
    clearTimeout(headerTimer);
    headerTimer = undefined;
  };
  const drop = (cause: DropCause): void => {
    closing = true;
    count(COUNTER_OF_DROP[cause]);
    log({ kind: 'closed', remote, cause });
    socket.destroy();
  };
  const send = (response: RtspResponse): void => {
    count(COUNTER_OF_STATUS[response.status]);
    const refused = response.refusal && COUNTER_OF_REFUSAL[response.refusal];
    if (refused) count(refused);
    // A client that pipelines without reading must not make us queue without bound.
    if (!socket.write(serializeResponse(response, new Date())) && !socket.isPaused()) {
      socket.pause();
      socket.once('drain', () => socket.resume());
    }
  };

  socket.setTimeout(limits.idleTimeoutMs, () => drop('idle-timeout'));
  socket.on('close', clearHeaderTimer);
  socket.on('error', (error: NodeJS.ErrnoException) => {
    log({ kind: 'socket-error', remote, code: error.code, message: error.message });
  });
  socket.on('data', (chunk: Buffer) => {
    if (closing) return;
    parser.feed(chunk);
    let answered = false;
    for (let result = parser.next(); result.kind !== 'need-more'; result = parser.next()) {
      if (result.kind === 'interleaved') return drop('interleaved');
      answered = true;
      if (result.kind === 'request') answeredAny = true;
      const response = result.kind === 'error' ? errorResponse(result) : route(result, lookupMount, peers, auth);
      send(response);
      log(
        result.kind === 'error'
          ? { kind: 'rejected', remote, status: result.status, reason: result.reason }
          : {
              kind: 'answered',
              remote,
              method: result.method,
              url: result.url,
              status: response.status,
              location: locationOf(response),
              refusal: response.refusal,
            },
      );
      if (response.close) {
        closing = true;
        clearHeaderTimer();
        socket.end();
        return;
      }
    }
    // The deadline runs from the first byte of each request, however slowly the rest trickles in.
    if (answered || !parser.inRequest) clearHeaderTimer();
    if (parser.inRequest && !headerTimer)
      headerTimer = setTimeout(() => drop('header-timeout'), limits.headerTimeoutMs);
  });
  return {
    get answered() {
      return answeredAny;
    },
    // Also one that is closing after an error response, waiting for the client to close its side.
    evict: () => {
      if (!socket.destroyed) drop('evicted');
    },
  };
}

function locationOf(response: RtspResponse): string | undefined {
  return response.headers.find(([name]) => name === 'Location')?.[1];
}

/** "address:port" of the client, for logs. */
export function remoteOf(socket: Socket): string {
  return `${hostOfAddress(socket.remoteAddress ?? '?')}:${socket.remotePort ?? '?'}`;
}
