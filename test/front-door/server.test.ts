import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, describe, test } from 'node:test';
import {
  FrontDoorListenError,
  startFrontDoor,
  type FrontDoor,
  type FrontDoorLimits,
  type MountLookup,
} from '../../src/front-door/server.ts';
import { RawClient } from './raw-client.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { portsOf } from '../support/ports.ts';

const PORTS = portsOf(import.meta.url);
const HELPER_PORT = PORTS.at(29);
const lookupMount: MountLookup = (name) =>
  (
    ({
      video1: { state: 'up', helperPort: HELPER_PORT },
      video2: { state: 'up', helperPort: HELPER_PORT },
      video3: { state: 'restarting', retryAfterMs: 2000 },
    }) as const
  )[name];

const started: FrontDoor[] = [];
after(() => Promise.all(started.map((door) => door.close())));

async function start(port: number, limits?: Partial<FrontDoorLimits>, host = '127.0.0.1'): Promise<FrontDoor> {
  const door = await startFrontDoor({ host, port, lookupMount, limits });
  started.push(door);
  return door;
}

const describeRequest = (url: string, cseq: number): string =>
  `DESCRIBE ${url} RTSP/1.0\r\nCSeq: ${cseq}\r\nAccept: application/sdp\r\n\r\n`;

describe('front door server', () => {
  test('redirects to the helper port with the host and path the client used, and keeps the connection', async () => {
    const door = await start(PORTS.at(0));
    const client = await RawClient.connect(PORTS.at(0));
    client.write(describeRequest(`rtsp://127.0.0.1:${PORTS.at(0)}/video2/trackID=0`, 5));
    const redirect = await client.response();
    assert.equal(redirect.statusLine, 'RTSP/1.0 302 Moved Temporarily');
    assert.equal(redirect.headers.get('location'), `rtsp://127.0.0.1:${HELPER_PORT}/video2/trackID=0`);
    assert.equal(redirect.headers.get('cseq'), '5');
    assert.equal(redirect.headers.get('content-length'), '0');
    assert.ok(redirect.headers.get('server'));
    assert.ok(!Number.isNaN(Date.parse(redirect.headers.get('date') ?? '')));
    client.write(`OPTIONS rtsp://127.0.0.1:${PORTS.at(0)}/video2 RTSP/1.0\r\nCSeq: 6\r\n\r\n`);
    const options = (await client.responses(2))[1];
    assert.equal(options?.status, 200);
    assert.equal(options?.headers.get('public'), 'OPTIONS, DESCRIBE, SETUP, TEARDOWN, PLAY, PAUSE, GET_PARAMETER');
    client.destroy();
    assert.equal(door.counters().redirects, 1);
    assert.equal(door.counters().options, 1);
  });

  test('answers 404 for an unknown mount and 503 for a restarting one', async () => {
    const door = await start(PORTS.at(1));
    const client = await RawClient.connect(PORTS.at(1));
    client.write(
      describeRequest(`rtsp://127.0.0.1:${PORTS.at(1)}/video9`, 1) +
        describeRequest(`rtsp://127.0.0.1:${PORTS.at(1)}/video3`, 2),
    );
    const [missing, restarting] = await client.responses(2);
    assert.deepEqual([missing?.status, missing?.headers.get('cseq')], [404, '1']);
    assert.deepEqual([restarting?.status, restarting?.headers.get('retry-after')], [503, '2']);
    client.destroy();
    assert.deepEqual([door.counters().notFound, door.counters().unavailable], [1, 1]);
  });

  test('answers pipelined requests in order', async () => {
    await start(PORTS.at(2));
    const client = await RawClient.connect(PORTS.at(2));
    const pipeline = [
      'OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n\r\n',
      describeRequest(`rtsp://127.0.0.1:${PORTS.at(2)}/video1`, 2),
      `ANNOUNCE rtsp://127.0.0.1:${PORTS.at(2)}/video1 RTSP/1.0\r\nCSeq: 3\r\nContent-Length: 5\r\n\r\nv=0\r\n`,
      describeRequest(`rtsp://127.0.0.1:${PORTS.at(2)}/nope`, 4),
    ].join('');
    // Sent in two awkward pieces, so requests straddle reads.
    client.write(pipeline.slice(0, 50));
    await sleep(20);
    client.write(pipeline.slice(50));
    const responses = await client.responses(4);
    assert.deepEqual(
      responses.map((r) => [r.status, r.headers.get('cseq')]),
      [
        [200, '1'],
        [302, '2'],
        [302, '3'],
        [404, '4'],
      ],
    );
    client.destroy();
  });

  test('answers 400 to garbage, then closes', async () => {
    const door = await start(PORTS.at(3));
    const client = await RawClient.connect(PORTS.at(3));
    client.write('hello there\r\n');
    await client.closed;
    assert.match(client.text, /^RTSP\/1\.0 400 Bad Request\r\n/);
    assert.doesNotMatch(client.text, /CSeq/);
    assert.equal(door.counters().badRequest, 1);
  });

  test('answers 505 to RTSP/2.0, then closes', async () => {
    await start(PORTS.at(4));
    const client = await RawClient.connect(PORTS.at(4));
    client.write('OPTIONS * RTSP/2.0\r\nCSeq: 1\r\n\r\n');
    await client.closed;
    assert.match(client.text, /^RTSP\/1\.0 505 /);
  });

  test('answers 413 to Content-Length 2^32 at once, without waiting for the body, then closes', async () => {
    const door = await start(PORTS.at(5));
    const client = await RawClient.connect(PORTS.at(5));
    client.write(
      `ANNOUNCE rtsp://127.0.0.1:${PORTS.at(5)}/video1 RTSP/1.0\r\nCSeq: 9\r\nContent-Length: 4294967296\r\n\r\nv=0`,
    );
    const response = await client.response();
    assert.deepEqual([response.status, response.headers.get('cseq')], [413, '9']);
    await client.closed;
    assert.equal(door.counters().tooLarge, 1);
  });

  test('answers 414 to an over-long request line before it ends', async () => {
    await start(PORTS.at(6));
    const client = await RawClient.connect(PORTS.at(6));
    client.write(`DESCRIBE rtsp://127.0.0.1:${PORTS.at(6)}/${'x'.repeat(4000)}`);
    assert.equal((await client.response()).status, 414);
    await client.closed;
  });

  test('closes a connection that sends interleaved data', async () => {
    const door = await start(PORTS.at(7));
    const client = await RawClient.connect(PORTS.at(7));
    client.write(Buffer.from([0x24, 0, 0, 4, 1, 2, 3, 4]));
    await client.closed;
    assert.equal(client.text, '');
    assert.equal(door.counters().interleaved, 1);
  });

  test('closes idle connections', async () => {
    const door = await start(PORTS.at(8), { idleTimeoutMs: 150 });
    const client = await RawClient.connect(PORTS.at(8));
    client.write('OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n\r\n');
    await client.response();
    const since = Date.now();
    await client.closed;
    assert.ok(Date.now() - since >= 100, `closed after ${Date.now() - since} ms`);
    assert.equal(door.counters().idleTimeouts, 1);
  });

  test('closes a connection whose request trickles in for longer than the header timeout', async () => {
    const door = await start(PORTS.at(9), { idleTimeoutMs: 5000, headerTimeoutMs: 300 });
    const client = await RawClient.connect(PORTS.at(9));
    const since = Date.now();
    const trickle = setInterval(() => client.write('X'), 50);
    client.write(`DESCRIBE rtsp://127.0.0.1:${PORTS.at(9)}/video1 RTSP/1.0\r\nCSeq: 1\r\nX-Slow: `);
    await client.closed;
    clearInterval(trickle);
    const elapsed = Date.now() - since;
    assert.ok(elapsed >= 250 && elapsed < 2000, `closed after ${elapsed} ms`);
    assert.equal(client.text, '');
    assert.deepEqual([door.counters().headerTimeouts, door.counters().idleTimeouts], [1, 0]);
  });

  test('refuses connections beyond the maximum, and accepts again when one leaves', async () => {
    const door = await start(PORTS.at(10), { maxConnections: 2 });
    const ping = async (client: RawClient): Promise<number | undefined> => {
      client.write('OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n\r\n');
      return (await client.response()).status;
    };
    const first = await RawClient.connect(PORTS.at(10));
    const second = await RawClient.connect(PORTS.at(10));
    assert.deepEqual([await ping(first), await ping(second)], [200, 200]);
    const third = await RawClient.connect(PORTS.at(10));
    await third.closed;
    assert.equal(third.text, '');
    assert.equal(door.counters().refused, 1);
    first.destroy();
    // The server sees the close a moment after the client does: retry until it has.
    let fourth = await RawClient.connect(PORTS.at(10));
    for (let attempt = 0; attempt < 50 && (await ping(fourth).catch(() => undefined)) !== 200; attempt++) {
      await sleep(20);
      fourth = await RawClient.connect(PORTS.at(10));
    }
    assert.equal(door.counters().accepted, 3);
    second.destroy();
    fourth.destroy();
  });

  test('when full, a new connection evicts the oldest one that has sent no whole request (idle, slowloris or rejected)', async () => {
    const door = await start(PORTS.at(14), { maxConnections: 3 });
    const ping = async (client: RawClient): Promise<number | undefined> => {
      client.write('OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n\r\n');
      return (await client.response()).status;
    };
    const talker = await RawClient.connect(PORTS.at(14));
    assert.equal(await ping(talker), 200);
    const silent = await RawClient.connect(PORTS.at(14));
    const slow = await RawClient.connect(PORTS.at(14));
    slow.write('OPTIONS * RTSP/1.0\r\nCSe');
    const newcomer = await RawClient.connect(PORTS.at(14));
    assert.equal(await ping(newcomer), 200);
    await silent.closed;
    assert.equal(silent.text, '');
    // Now full of the talker, the slow one and the newcomer (which has answered): the slow one goes next.
    const last = await RawClient.connect(PORTS.at(14));
    assert.equal(await ping(last), 200);
    await slow.closed;
    assert.deepEqual([door.counters().evicted, door.counters().refused, door.counters().accepted], [2, 0, 5]);
    for (const client of [talker, newcomer, last]) client.destroy();
  });

  test('redirects IPv6 clients to a bracketed host, also when the URI has none', async () => {
    await start(PORTS.at(11), {}, '::1');
    const client = await RawClient.connect(PORTS.at(11), '::1');
    client.write(describeRequest(`rtsp://[::1]:${PORTS.at(11)}/video1`, 1) + describeRequest('/video1', 2));
    const locations = (await client.responses(2)).map((r) => r.headers.get('location'));
    assert.deepEqual(locations, [`rtsp://[::1]:${HELPER_PORT}/video1`, `rtsp://[::1]:${HELPER_PORT}/video1`]);
    client.destroy();
  });

  test('close() closes open connections', async () => {
    const door = await startFrontDoor({ host: '127.0.0.1', port: PORTS.at(12), lookupMount });
    const client = await RawClient.connect(PORTS.at(12));
    client.write('OPTIONS * RTSP/1.0\r\n');
    await door.close();
    await client.closed;
    await assert.rejects(RawClient.connect(PORTS.at(12)), { code: 'ECONNREFUSED' });
  });

  test('rejects with a typed error when the port is taken', async () => {
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(PORTS.at(13), '127.0.0.1', resolve));
    try {
      const error = await startFrontDoor({ host: '127.0.0.1', port: PORTS.at(13), lookupMount }).then(
        () => assert.fail('started on a taken port'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof FrontDoorListenError);
      assert.deepEqual([error.host, error.port, error.code], ['127.0.0.1', PORTS.at(13), 'EADDRINUSE']);
      assert.match(error.message, new RegExp(`${PORTS.at(13)}.*taken.*--port`));
    } finally {
      squatter.close();
    }
  });
});
