import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { AuthGuard } from './auth.ts';
import type { ConnectionLimits } from './connection.ts';
import { remoteOf, serveConnection, type ServedConnection } from './connection.ts';
import { zeroCounters, type CounterName, type FrontDoorCounters } from './counters.ts';
import { FrontDoorListenError } from './listen-error.ts';
import type { FrontDoorLog } from './log.ts';
import { DEFAULT_PARSER_LIMITS } from './request-parser.ts';
import type { MountLookup } from './route.ts';

export { FrontDoorListenError } from './listen-error.ts';
export type { FrontDoorCounters } from './counters.ts';
export type { FrontDoorLog, FrontDoorLogEntry } from './log.ts';
export type { MountLookup, MountState } from './route.ts';

export interface FrontDoorLimits extends ConnectionLimits {
  /**
   * At most this many connections are open. A new one beyond it closes the oldest connection that has
   * not yet sent a whole request (idle or slowloris), else it is itself closed at once (refused).
   */
  readonly maxConnections: number;
}

export const DEFAULT_FRONT_DOOR_LIMITS: FrontDoorLimits = {
  ...DEFAULT_PARSER_LIMITS,
  idleTimeoutMs: 30_000,
  headerTimeoutMs: 10_000,
  maxConnections: 256,
};

export interface FrontDoorOptions {
  readonly host: string;
  /** 0 picks a free port; `address` tells which. */
  readonly port: number;
  /** Called for each request; must answer from memory, at once. */
  readonly lookupMount: MountLookup;
  readonly limits?: Partial<FrontDoorLimits>;
  /** Ask every request but OPTIONS for its credentials (401 with a challenge otherwise). */
  readonly auth?: AuthGuard;
  readonly log?: FrontDoorLog;
}

export interface FrontDoor {
  readonly address: AddressInfo;
  /** A snapshot. */
  counters(): FrontDoorCounters;
  /** Stops listening and closes every open connection. */
  close(): Promise<void>;
}

/** Listens, then answers RTSP clients with redirects to each mount's helper. Rejects with FrontDoorListenError. */
export async function startFrontDoor(options: FrontDoorOptions): Promise<FrontDoor> {
  const limits: FrontDoorLimits = { ...DEFAULT_FRONT_DOOR_LIMITS, ...options.limits };
  const log = options.log ?? (() => {});
  const counters = zeroCounters();
  // In order of arrival: the first one that has answered nothing is the one to evict.
  const sockets = new Map<Socket, ServedConnection>();
  const context = {
    limits,
    lookupMount: options.lookupMount,
    auth: options.auth,
    log,
    count: (name: CounterName) => counters[name]++,
  };

  const server = createServer((socket) => {
    if (sockets.size >= limits.maxConnections) evictOldestSilent(sockets);
    if (sockets.size >= limits.maxConnections) {
      counters.refused++;
      log({ kind: 'refused', remote: remoteOf(socket), openConnections: sockets.size });
      socket.destroy();
      return;
    }
    counters.accepted++;
    socket.once('close', () => sockets.delete(socket));
    sockets.set(socket, serveConnection(socket, context));
  });
  await listen(server, options.host, options.port);
  server.on('error', (error: NodeJS.ErrnoException) =>
    log({ kind: 'server-error', code: error.code, message: error.message }),
  );

  let closed: Promise<void> | undefined;
  return {
    address: server.address() as AddressInfo, // a string only for pipes
    counters: () => ({ ...counters }),
    close: () =>
      (closed ??= new Promise((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets.keys()) socket.destroy();
      })),
  };
}

function evictOldestSilent(sockets: Map<Socket, ServedConnection>): void {
  for (const [socket, connection] of sockets) {
    if (connection.answered) continue;
    connection.evict();
    sockets.delete(socket); // at once: 'close' comes a tick later
    return;
  }
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => reject(new FrontDoorListenError(host, port, error));
    server.once('error', onError);
    server.listen({ host, port }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
