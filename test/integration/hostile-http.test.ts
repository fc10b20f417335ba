// Hostile clients against the real HTTP side (startHttpServer, short limits): connections that hold
// places without sending a request, or a whole one, or another after a first.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { after, describe, test } from 'node:test';
import { zeroCounters } from '../../src/front-door/counters.ts';
import type { LiveSource } from '../../src/http/live-source.ts';
import { startHttpServer, type HttpLimits, type HttpServer } from '../../src/http/server.ts';
import { waitFor } from '../../scripts/lib/processes.ts';
import { portsOf } from '../support/ports.ts';

const PORTS = portsOf(import.meta.url);

const SOURCE: LiveSource = { streams: () => [], frontDoor: () => zeroCounters(), elapsedS: () => 1 };
const LIMITS: HttpLimits = { maxConnections: 20, maxEventStreams: 4, headerTimeoutMs: 500, idleTimeoutMs: 500 };

const servers: HttpServer[] = [];
after(() => Promise.all(servers.map((server) => server.close())));
async function start(port: number): Promise<HttpServer> {
  const server = await startHttpServer({ host: '127.0.0.1', port, source: SOURCE, limits: LIMITS });
  servers.push(server);
  return server;
}

/** A GET on a new connection: its status, or the error that ended it; at most timeoutMs. */
function get(port: number, path: string, timeoutMs = 1_000): Promise<{ status?: number; error?: string; ms: number }> {
  const since = Date.now();
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, timeout: timeoutMs }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode, ms: Date.now() - since }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ error: error.code ?? error.message, ms: Date.now() - since }),
    );
    req.end();
  });
}

/**
 * A connection that sends `bytes` and then nothing, and never closes its side: allowHalfOpen keeps
 * it open after the server's FIN, as a hostile client (or a careless one) would.
 */
interface Held {
  readonly socket: Socket;
  /** The server ended or closed the connection. */
  ended: boolean;
  received: string;
}

function hold(port: number, bytes = ''): Promise<Held> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, allowHalfOpen: true }, () => {
      if (bytes !== '') socket.write(bytes);
      resolve(held);
    });
    const held: Held = { socket, ended: false, received: '' };
    socket.setEncoding('latin1');
    socket.on('data', (text: string) => (held.received += text));
    socket.on('end', () => (held.ended = true));
    socket.on('close', () => (held.ended = true));
    socket.on('error', () => {});
    socket.once('error', reject);
  });
}

const statusOf = (held: Held): number | undefined =>
  Number(/^HTTP\/1\.1 (\d{3}) /.exec(held.received)?.[1]) || undefined;

describe('hostile clients against the HTTP side', () => {
  test(
    'silent connections and stalled requests are closed after the head timeout and free their places',
    { timeout: 20_000 },
    async () => {
      const port = PORTS.at(0);
      await start(port);
      const silent = await Promise.all(Array.from({ length: LIMITS.maxConnections / 2 }, () => hold(port)));
      const stalled = await Promise.all(
        Array.from({ length: LIMITS.maxConnections / 2 }, () =>
          hold(port, 'GET /api/v1/streams HTTP/1.1\r\nHost: x\r\nX-Slow: '),
        ),
      );
      const held = [...silent, ...stalled];
      try {
        const whileFull = await get(port, '/api/v1/streams');
        assert.equal(whileFull.status, undefined, `every place is taken: ${JSON.stringify(whileFull)}`);
        await waitFor(() => held.every((one) => one.ended), 3_000, 'the server ends every held connection');
        assert.deepEqual(new Set(held.map(statusOf)), new Set([408]), held.map((one) => one.received).join('|'));
        const after = await get(port, '/api/v1/streams');
        console.log(`after the head timeout: ${JSON.stringify(after)}`);
        assert.equal(after.status, 200, JSON.stringify(after));
        assert.ok(after.ms < 1_000);
      } finally {
        for (const one of held) one.socket.destroy();
      }
    },
  );

  test(
    'bytes that are not HTTP get 400, a head over 16 KiB 431, and each connection is closed at once',
    { timeout: 20_000 },
    async () => {
      const port = PORTS.at(2);
      await start(port);
      const junk = await Promise.all(
        Array.from({ length: LIMITS.maxConnections / 2 }, () => hold(port, 'NOT HTTP AT ALL\r\n\r\n')),
      );
      const huge = await Promise.all(
        Array.from({ length: LIMITS.maxConnections / 2 }, () =>
          hold(port, `GET / HTTP/1.1\r\nX-Big: ${'x'.repeat(20_000)}\r\n\r\n`),
        ),
      );
      try {
        // Well within the head timeout: these are answered as they arrive.
        await waitFor(
          () => [...junk, ...huge].every((one) => one.ended),
          LIMITS.headerTimeoutMs / 2,
          'the server ends every bad connection',
        );
        assert.deepEqual([...new Set(junk.map(statusOf))], [400]);
        assert.deepEqual([...new Set(huge.map(statusOf))], [431]);
        assert.equal((await get(port, '/api/v1/streams')).status, 200);
      } finally {
        for (const one of [...junk, ...huge]) one.socket.destroy();
      }
    },
  );

  test(
    'idle keep-alive connections are closed after the idle timeout and free their places',
    { timeout: 20_000 },
    async () => {
      const port = PORTS.at(1);
      await start(port);
      const held = await Promise.all(
        Array.from({ length: LIMITS.maxConnections }, () =>
          hold(port, 'GET /api/v1/streams HTTP/1.1\r\nHost: x\r\n\r\n'),
        ),
      );
      try {
        await waitFor(
          () => held.every((one) => statusOf(one) === 200),
          3_000,
          'each keep-alive connection answered once',
        );
        assert.ok(
          held.every((one) => !one.ended),
          'kept alive after the answer',
        );
        assert.equal((await get(port, '/api/v1/streams')).status, undefined, 'every place is taken');
        await waitFor(() => held.every((one) => one.ended), 3_000, 'the server ends every idle connection');
        assert.equal((await get(port, '/api/v1/streams')).status, 200);
      } finally {
        for (const one of held) one.socket.destroy();
      }
    },
  );
});
