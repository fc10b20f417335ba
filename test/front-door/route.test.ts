import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RtspRequest } from '../../src/front-door/request-head.ts';
import { RequestParser } from '../../src/front-door/request-parser.ts';
import { hostOfAddress, PUBLIC_METHODS, route, type MountLookup, type MountState } from '../../src/front-door/route.ts';

function requestOf(method: string, url: string, cseq = 3): RtspRequest {
  const parser = new RequestParser();
  parser.feed(Buffer.from(`${method} ${url} RTSP/1.0\r\nCSeq: ${cseq}\r\n\r\n`));
  const result = parser.next();
  assert.equal(result.kind, 'request', JSON.stringify(result));
  return result;
}

const MOUNTS: Record<string, MountState> = {
  video1: { state: 'up', helperPort: 8555 },
  video2: { state: 'up', helperPort: 8556 },
  video3: { state: 'restarting', retryAfterMs: 2500 },
  video4: { state: 'restarting' },
  video5: { state: 'failed' },
};
const lookup: MountLookup = (name) => (Object.hasOwn(MOUNTS, name) ? MOUNTS[name] : undefined);

function answer(method: string, url: string, localAddress = '192.0.2.1') {
  const response = route(requestOf(method, url), lookup, { localAddress, remoteAddress: '192.0.2.9' });
  return {
    status: response.status,
    cseq: response.cseq,
    close: response.close,
    headers: Object.fromEntries(response.headers),
  };
}

describe('route', () => {
  test('redirects every method on a mount that is up to its helper, keeping host, path and query', () => {
    for (const method of ['DESCRIBE', 'SETUP', 'PLAY', 'PAUSE', 'ANNOUNCE', 'GET_PARAMETER', 'TEARDOWN', 'RECORD']) {
      assert.deepEqual(answer(method, 'rtsp://localhost:8554/video1'), {
        status: 302,
        cseq: 3,
        close: false,
        headers: { Location: 'rtsp://localhost:8555/video1' },
      });
    }
    const location = (url: string, local?: string): string | undefined =>
      answer('DESCRIBE', url, local).headers['Location'];
    assert.equal(
      location('rtsp://127.0.0.1:8554/video2/trackID=0?a=1&b'),
      'rtsp://127.0.0.1:8556/video2/trackID=0?a=1&b',
    );
    assert.equal(location('RTSP://Camera.Example:8554/video2'), 'rtsp://Camera.Example:8556/video2');
    assert.equal(location('rtsp://[::1]:8554/video1'), 'rtsp://[::1]:8555/video1');
    assert.equal(location('rtsp://[fe80::1%25eth0]/video1'), 'rtsp://[fe80::1%25eth0]:8555/video1');
    assert.equal(location('rtsp://user:secret@host:8554/video1'), 'rtsp://host:8555/video1');
    assert.equal(location('rtsp://host/video1'), 'rtsp://host:8555/video1');
    assert.equal(location('rtsp://host:/video1'), 'rtsp://host:8555/video1');
  });

  test('names this server by the local address when the URI has no host', () => {
    const location = (url: string, local: string): string | undefined =>
      answer('DESCRIBE', url, local).headers['Location'];
    assert.equal(location('/video1', '10.0.0.5'), 'rtsp://10.0.0.5:8555/video1');
    assert.equal(location('rtsp:///video1', '::1'), 'rtsp://[::1]:8555/video1');
    assert.equal(location('/video1', '::ffff:127.0.0.1'), 'rtsp://127.0.0.1:8555/video1');
  });

  test('answers OPTIONS itself, for any URI', () => {
    for (const url of ['*', 'rtsp://h/video1', 'rtsp://h/video3', 'rtsp://h/nothing', '/']) {
      assert.deepEqual(answer('OPTIONS', url), {
        status: 200,
        cseq: 3,
        close: false,
        headers: { Public: PUBLIC_METHODS },
      });
    }
  });

  test('answers 404 where there is no mount', () => {
    for (const url of ['rtsp://h/video9', 'rtsp://h/', 'rtsp://h', 'rtsp://h/?video1', '/Video1', '//video1', '*']) {
      assert.deepEqual(answer('DESCRIBE', url), { status: 404, cseq: 3, close: false, headers: {} }, url);
    }
  });

  test('passes the first path segment to the lookup', () => {
    const names: string[] = [];
    route(requestOf('DESCRIBE', 'rtsp://h/video7/trackID=1?x'), (name) => (names.push(name), undefined), {
      localAddress: '::1',
      remoteAddress: '::1',
    });
    assert.deepEqual(names, ['video7']);
  });

  test('answers 503 while the helper is down, with Retry-After when it is restarting', () => {
    assert.deepEqual(answer('DESCRIBE', 'rtsp://h/video3').headers, { 'Retry-After': '3' });
    assert.deepEqual(answer('PLAY', 'rtsp://h/video4/x').headers, { 'Retry-After': '1' });
    assert.deepEqual(answer('DESCRIBE', 'rtsp://h/video5'), { status: 503, cseq: 3, close: false, headers: {} });
  });

  test('writes socket addresses as URL hosts', () => {
    assert.equal(hostOfAddress('127.0.0.1'), '127.0.0.1');
    assert.equal(hostOfAddress('::1'), '[::1]');
    assert.equal(hostOfAddress('::FFFF:10.1.2.3'), '10.1.2.3');
    assert.equal(hostOfAddress('fe80::1%eth0'), '[fe80::1%25eth0]');
  });
});
