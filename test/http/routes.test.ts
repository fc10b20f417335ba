import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { routeOf } from '../../src/http/routes.ts';

describe('HTTP routes', () => {
  it('serves the fixed paths, a stream by name, with or without a query', () => {
    assert.deepEqual(routeOf('GET', '/'), { kind: 'asset', path: '/' });
    assert.deepEqual(routeOf('GET', '/vendor/vega.min.js?v=1'), { kind: 'asset', path: '/vendor/vega.min.js' });
    assert.deepEqual(routeOf('HEAD', '/metrics'), { kind: 'metrics' });
    assert.deepEqual(routeOf('GET', '/api/v1/streams'), { kind: 'streams' });
    assert.deepEqual(routeOf('GET', '/api/v1/streams/video2'), { kind: 'stream', name: 'video2' });
    assert.deepEqual(routeOf('GET', '/api/v1/events'), { kind: 'events' });
  });

  it('reaches nothing else: dot segments, encoded dots and slashes, doubled slashes, files by name', () => {
    for (const target of [
      '/../package.json',
      '/%2e%2e/package.json',
      '/vendor/../../package.json',
      '/vendor/..%2f..%2fpackage.json',
      '//etc/passwd',
      '/web/dashboard.html',
      '/dashboard.js/',
      '/api/v1/streams/',
      '/api/v1/streams/../../etc/passwd',
      '/api/v1/streams/video1/x',
      '/api/v1/streams/%76ideo1',
      '/METRICS',
      '',
      '*',
      'http://elsewhere/metrics',
    ]) {
      assert.deepEqual(routeOf('GET', target), { kind: 'not-found' }, target);
    }
  });

  it('answers only GET and HEAD on a path that exists, but for WHEP', () => {
    const getOnly = { kind: 'method-not-allowed', allow: 'GET, HEAD' };
    assert.deepEqual(routeOf('POST', '/metrics'), getOnly);
    assert.deepEqual(routeOf('DELETE', '/api/v1/streams/video1'), getOnly);
    assert.deepEqual(routeOf('POST', '/nothing'), { kind: 'not-found' });
  });

  it('takes a WHEP offer by POST, ends a session by DELETE, answers OPTIONS (CORS), and nothing else there', () => {
    assert.deepEqual(routeOf('POST', '/whep/video2'), { kind: 'whep', name: 'video2' });
    assert.deepEqual(routeOf('OPTIONS', '/whep/video2'), { kind: 'whep', name: 'video2' });
    assert.deepEqual(routeOf('DELETE', '/whep/video2/Ab_-9'), {
      kind: 'whep-session',
      name: 'video2',
      session: 'Ab_-9',
    });
    assert.deepEqual(routeOf('GET', '/whep/video2'), { kind: 'method-not-allowed', allow: 'POST, OPTIONS' });
    assert.deepEqual(routeOf('PATCH', '/whep/video2/x'), { kind: 'method-not-allowed', allow: 'DELETE, OPTIONS' });
    for (const target of ['/whep/', '/whep/video2/', '/whep/../x', '/whep/video2/a/b', '/whep/video2/a%2fb'])
      assert.deepEqual(routeOf('POST', target), { kind: 'not-found' }, target);
  });
});
