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

  it('answers only GET and HEAD on a path that exists', () => {
    assert.deepEqual(routeOf('POST', '/metrics'), { kind: 'method-not-allowed' });
    assert.deepEqual(routeOf('DELETE', '/api/v1/streams/video1'), { kind: 'method-not-allowed' });
    assert.deepEqual(routeOf('POST', '/nothing'), { kind: 'not-found' });
  });
});
