// Hostile clients against --auth at both doors over real sockets: the real front door
// (startFrontDoor) and the real HTTP side (startHttpServer) in-process.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, describe, test } from 'node:test';
import { parseAuthParams, type Credentials } from '../../src/front-door/auth.ts';
import { zeroCounters } from '../../src/front-door/counters.ts';
import { newAuthKey } from '../../src/front-door/digest.ts';
import { startFrontDoor, type FrontDoor, type MountLookup } from '../../src/front-door/server.ts';
import type { LiveSource } from '../../src/http/live-source.ts';
import { startHttpServer, type HttpServer } from '../../src/http/server.ts';
import { digestHeader } from '../support/digest-header.ts';
import { RawRtsp, type RawReply } from '../support/raw-rtsp.ts';

// This file owns loopback ports 19820-19849.
const HELPER_PORT = 19849;
const USER = 'viewer';
const PASSWORD = 'right';
const credentials: Credentials = { user: USER, password: PASSWORD, basic: false, key: newAuthKey() };
const lookupMount: MountLookup = (name) => (name === 'video1' || name === 'video2' ? { state: 'up', helperPort: HELPER_PORT } : undefined);
const SOURCE: LiveSource = { streams: () => [], frontDoor: () => zeroCounters(), elapsedS: () => 1 };

const closers: Array<{ close(): Promise<void> }> = [];
after(() => Promise.all(closers.map((closer) => closer.close())));

async function frontDoor(port: number): Promise<FrontDoor> {
  const door = await startFrontDoor({ host: '127.0.0.1', port, lookupMount, credentials });
  closers.push(door);
  return door;
}

async function httpSide(port: number): Promise<HttpServer> {
  const server = await startHttpServer({
    host: '127.0.0.1', port, source: SOURCE, credentials, limits: { maxConnections: 64, maxEventStreams: 4, headerTimeoutMs: 2_000, idleTimeoutMs: 2_000 },
  });
  closers.push(server);
  return server;
}

const nonceOf = (challenge: string | undefined): string => parseAuthParams((challenge ?? '').replace(/^Digest\s+/i, '')).get('nonce') ?? '';

/** The value of an Authorization header: a Digest answer for `method` on `uri`. */
const answer = (method: string, uri: string, nonce: string, password = PASSWORD): string =>
  digestHeader({ user: USER, password, method, uri, nonce }).replace(/^Authorization: /, '');

/** RTSP: a DESCRIBE of `url`, with an Authorization header when given. */
function describeOn(client: RawRtsp, url: string, cseq: number, authorization?: string): Promise<RawReply> {
  return client.request([`DESCRIBE ${url} RTSP/1.0`, `CSeq: ${cseq}`, ...(authorization ? [`Authorization: ${authorization}`] : [])]);
}

const challengeOf = (head: string): string | undefined => /^WWW-Authenticate:\s*(Digest .+)$/im.exec(head)?.[1];

/** HTTP: a GET of `path` from 127.0.0.1, with an Authorization header when given. */
function get(port: number, path: string, authorization?: string): Promise<{ status: number; challenge: string | undefined }> {
  return new Promise((resolve, reject) => {
    const headers = authorization ? { Authorization: authorization } : {};
    const req = request({ host: '127.0.0.1', port, path, agent: false, headers }, (response) => {
      response.resume();
      const challenges = [response.headers['www-authenticate'] ?? []].flat();
      response.on('end', () => resolve({ status: response.statusCode!, challenge: challenges.find((one) => /^Digest /i.test(one)) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('--auth against hostile clients: the Digest uri', () => {
  test('front door: a right answer for /video1 sent on a request for /video2 gets 401; for /video2 itself, the redirect', async () => {
    const port = 19820;
    await frontDoor(port);
    const client = await RawRtsp.open(port);
    try {
      const [one, two] = [`rtsp://127.0.0.1:${port}/video1`, `rtsp://127.0.0.1:${port}/video2`];
      const nonce = nonceOf(challengeOf((await describeOn(client, two, 1)).head));
      const elsewhere = await describeOn(client, two, 2, answer('DESCRIBE', one, nonce));
      assert.equal(elsewhere.status, 401, elsewhere.head);
      const right = await describeOn(client, two, 3, answer('DESCRIBE', two, nonce));
      assert.equal(right.status, 302, right.head);
    } finally {
      client.close();
    }
  });

  test('HTTP side: a right answer for /api/v1/streams sent on a request for /metrics gets 401; for /metrics itself, 200', async () => {
    const port = 19821;
    await httpSide(port);
    const nonce = nonceOf((await get(port, '/metrics')).challenge);
    assert.equal((await get(port, '/metrics', answer('GET', '/api/v1/streams', nonce))).status, 401);
    assert.equal((await get(port, '/metrics', answer('GET', '/metrics', nonce))).status, 200);
  });
});
