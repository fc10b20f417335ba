// Hostile clients against --auth at both doors over real sockets: the real front door
// (startFrontDoor) and the real HTTP side (startHttpServer) in-process, then both through the real
// CLI, whose metrics.ndjson and /metrics must count what the throttle refused. Another loopback
// address (127.0.0.2) is another client.
import assert from 'node:assert/strict';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parseAuthParams, type AuthGuard, type Credentials } from '../../src/front-door/auth.ts';
import { AuthThrottle } from '../../src/front-door/auth-throttle.ts';
import { zeroCounters } from '../../src/front-door/counters.ts';
import { newAuthKey } from '../../src/front-door/digest.ts';
import {
  startFrontDoor,
  type FrontDoor,
  type FrontDoorLogEntry,
  type MountLookup,
} from '../../src/front-door/server.ts';
import type { LiveSource } from '../../src/http/live-source.ts';
import { startHttpServer, type HttpServer } from '../../src/http/server.ts';
import { startServer } from '../../scripts/lib/server.ts';
import { makeClip } from '../support/clips.ts';
import { digestHeader } from '../support/digest-header.ts';
import { readMetrics, recordsOf } from '../support/metrics-file.ts';
import { parsePrometheusText, sampleOf } from '../support/prometheus-text.ts';
import { RawRtsp, type RawReply } from '../support/raw-rtsp.ts';
import { portsOf } from '../support/ports.ts';

const PORTS = portsOf(import.meta.url);
const HELPER_PORT = PORTS.at(29);
const USER = 'viewer';
const PASSWORD = 'right';
const credentials: Credentials = { user: USER, password: PASSWORD, basic: false, key: newAuthKey() };
const lookupMount: MountLookup = (name) =>
  name === 'video1' || name === 'video2' ? { state: 'up', helperPort: HELPER_PORT } : undefined;
const SOURCE: LiveSource = { streams: () => [], frontDoor: () => zeroCounters(), elapsedS: () => 1 };

const closers: Array<{ close(): Promise<void> }> = [];
after(() => Promise.all(closers.map((closer) => closer.close())));

/** Each door of these tests has a throttle of its own: every test's client is 127.0.0.1. */
const guard = (): AuthGuard => ({ credentials, throttle: new AuthThrottle() });

async function frontDoor(port: number, log?: (entry: FrontDoorLogEntry) => void): Promise<FrontDoor> {
  const door = await startFrontDoor({ host: '127.0.0.1', port, lookupMount, auth: guard(), log });
  closers.push(door);
  return door;
}

async function httpSide(port: number): Promise<HttpServer> {
  const server = await startHttpServer({
    host: '127.0.0.1',
    port,
    source: SOURCE,
    auth: guard(),
    limits: { maxConnections: 64, maxEventStreams: 4, headerTimeoutMs: 2_000, idleTimeoutMs: 2_000 },
  });
  closers.push(server);
  return server;
}

const nonceOf = (challenge: string | undefined): string =>
  parseAuthParams((challenge ?? '').replace(/^Digest\s+/i, '')).get('nonce') ?? '';

/** The value of an Authorization header: a Digest answer for `method` on `uri`. */
const answer = (method: string, uri: string, nonce: string, password = PASSWORD): string =>
  digestHeader({ user: USER, password, method, uri, nonce }).replace(/^Authorization: /, '');

/** RTSP: a DESCRIBE of `url`, with an Authorization header when given. */
function describeOn(client: RawRtsp, url: string, cseq: number, authorization?: string): Promise<RawReply> {
  return client.request([
    `DESCRIBE ${url} RTSP/1.0`,
    `CSeq: ${cseq}`,
    ...(authorization ? [`Authorization: ${authorization}`] : []),
  ]);
}

const challengeOf = (head: string): string | undefined => /^WWW-Authenticate:\s*(Digest .+)$/im.exec(head)?.[1];

/** HTTP: a GET of `path` from `from`, with an Authorization header when given. */
function get(
  port: number,
  path: string,
  authorization?: string,
  from = '127.0.0.1',
): Promise<{ status: number; challenge: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const headers = authorization ? { Authorization: authorization } : {};
    const req = request({ host: '127.0.0.1', port, path, agent: false, headers, localAddress: from }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      const challenges = [response.headers['www-authenticate'] ?? []].flat();
      response.on('end', () =>
        resolve({ status: response.statusCode!, challenge: challenges.find((one) => /^Digest /i.test(one)), body }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('--auth against hostile clients: the Digest uri', () => {
  test('front door: a right answer for /video1 sent on a request for /video2 gets 401; for /video2 itself, the redirect', async () => {
    const port = PORTS.at(0);
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
    const port = PORTS.at(1);
    await httpSide(port);
    const nonce = nonceOf((await get(port, '/metrics')).challenge);
    assert.equal((await get(port, '/metrics', answer('GET', '/api/v1/streams', nonce))).status, 401);
    assert.equal((await get(port, '/metrics', answer('GET', '/metrics', nonce))).status, 200);
  });
});

/** RTSP: `count` wrong answers on one connection from `from`, each of which must get 401. */
async function guessAtFrontDoor(port: number, count: number, from = '127.0.0.1'): Promise<void> {
  const url = `rtsp://127.0.0.1:${port}/video1`;
  const client = await RawRtsp.open(port, from);
  try {
    const nonce = nonceOf(challengeOf((await describeOn(client, url, 1)).head));
    for (let i = 0; i < count; i += 1) {
      const reply = await describeOn(client, url, 2 + i, answer('DESCRIBE', url, nonce, `guess${i}`));
      assert.equal(reply.status, 401, `guess ${i}: ${reply.head}`);
    }
  } finally {
    client.close();
  }
}

/** RTSP: the status of a right answer from `from`, on a nonce made for it. */
async function rightAtFrontDoor(port: number, from = '127.0.0.1'): Promise<number | undefined> {
  const url = `rtsp://127.0.0.1:${port}/video1`;
  const client = await RawRtsp.open(port, from);
  try {
    const nonce = nonceOf(challengeOf((await describeOn(client, url, 1)).head));
    return (await describeOn(client, url, 2, answer('DESCRIBE', url, nonce))).status;
  } finally {
    client.close();
  }
}

/** HTTP: the reply to a right Digest answer from `from`, on a nonce made for it. */
async function rightAtHttp(port: number, path: string, from = '127.0.0.1') {
  const nonce = nonceOf((await get(port, path, undefined, from)).challenge);
  return get(port, path, answer('GET', path, nonce), from);
}

describe('--auth against hostile clients: wrong answers throttled by address', () => {
  test('front door: after 10 of 30 wrong answers, right credentials from that address get 401 unchecked; another address gets its redirect', async () => {
    const port = PORTS.at(2);
    const refusals: string[] = [];
    const door = await frontDoor(port, (entry) => {
      if (entry.kind === 'answered' && entry.refusal) refusals.push(entry.refusal);
    });
    await guessAtFrontDoor(port, 30);
    assert.equal(await rightAtFrontDoor(port), 401, 'right credentials from the guessing address');
    assert.equal(await rightAtFrontDoor(port, '127.0.0.2'), 302, 'right credentials from another address');
    const counters = door.counters();
    console.log(
      `front door after 30 guesses: ${JSON.stringify({ unauthorized: counters.unauthorized, authFailed: counters.authFailed, authThrottled: counters.authThrottled })}`,
    );
    // 401s: 30 guesses, 21 of them and the right answer unchecked, and each connection's first request without credentials.
    assert.deepEqual([counters.authFailed, counters.authThrottled, counters.unauthorized], [10, 21, 30 + 1 + 3]);
    const logged = (refusal: string) => refusals.filter((one) => one === refusal).length;
    assert.deepEqual(
      [logged('failed'), logged('throttled'), logged('missing')],
      [10, 21, 3],
      'the log says why each 401 was given',
    );
  });

  test('HTTP side: after 10 wrong answers, right credentials from that address get 401 unchecked; /metrics from another address counts them', async () => {
    const port = PORTS.at(3);
    const server = await httpSide(port);
    const nonce = nonceOf((await get(port, '/metrics')).challenge);
    for (let i = 0; i < 10; i += 1)
      assert.equal((await get(port, '/metrics', answer('GET', '/metrics', nonce, `guess${i}`))).status, 401);
    const locked = await rightAtHttp(port, '/metrics');
    assert.equal(locked.status, 401);
    assert.ok(locked.challenge, 'the usual challenge');
    assert.deepEqual(server.counters(), { authFailed: 10, authThrottled: 1 });
    const elsewhere = await rightAtHttp(port, '/metrics', '127.0.0.2');
    assert.equal(elsewhere.status, 200);
    const samples = parsePrometheusText(elsewhere.body);
    assert.equal(sampleOf(samples, 'abr_http_auth_rejections_total', { reason: 'auth_failed' }), 10);
    assert.equal(sampleOf(samples, 'abr_http_auth_rejections_total', { reason: 'auth_throttled' }), 1);
  });
});

describe('--auth through npm start: one throttle for both doors, counted in metrics.ndjson and /metrics', () => {
  const PORT = PORTS.at(10); // its helper: the next port
  const HTTP = PORTS.at(20);
  const dir = mkdtempSync(join(tmpdir(), 'hostile-auth-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test(
    '10 wrong answers at the front door lock the address out of both doors; the counts reach /metrics and metrics.ndjson',
    { timeout: 90_000 },
    async () => {
      const clip = join(dir, 'clip.mp4');
      await makeClip({ path: clip, seconds: 2, pattern: 'ball', width: 320, height: 240, fps: 30 });
      const server = startServer([
        '--videos',
        clip,
        '--port',
        String(PORT),
        '--http',
        String(HTTP),
        '--out',
        join(dir, 'out'),
        '--auth',
        `${USER}:${PASSWORD}`,
        '--quiet',
      ]);
      try {
        await server.waitForOutput(/dashboard on http/, 60_000);
        await guessAtFrontDoor(PORT, 10);
        assert.equal(await rightAtFrontDoor(PORT), 401, 'right credentials at the front door');
        assert.equal(
          (await rightAtHttp(HTTP, '/api/v1/streams')).status,
          401,
          'right credentials at the HTTP side, from the same address',
        );
        const metrics = await rightAtHttp(HTTP, '/metrics', '127.0.0.2');
        assert.equal(metrics.status, 200);
        const samples = parsePrometheusText(metrics.body);
        assert.equal(sampleOf(samples, 'abr_front_door_auth_rejections_total', { reason: 'auth_failed' }), 10);
        assert.equal(sampleOf(samples, 'abr_front_door_auth_rejections_total', { reason: 'auth_throttled' }), 1);
        assert.equal(sampleOf(samples, 'abr_http_auth_rejections_total', { reason: 'auth_throttled' }), 1);
      } finally {
        server.process.kill('SIGINT');
        await server.process;
      }
      const records = readMetrics(realpathSync(join(dir, 'out', 'latest')));
      const frontDoor = recordsOf(records, 'front_door').at(-1)!;
      const http = recordsOf(records, 'http').at(-1)!;
      console.log(`metrics.ndjson: front door ${JSON.stringify(frontDoor)}; HTTP ${JSON.stringify(http)}`);
      assert.deepEqual([frontDoor.auth_failed, frontDoor.auth_throttled], [10, 1]);
      assert.deepEqual([http.auth_failed, http.auth_throttled], [0, 1]);
    },
  );
});
