import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { routeTargets } from '../../src/serve/mount-routing.ts';

const mounts = new Map([
  ['/video1', 'static'],
  ['/video2', 'dynamic'],
]);

describe('routeTargets', () => {
  it("sends a record about a mount to that mount, the helper's own to both, a connection not yet playing to the first", () => {
    assert.deepEqual(
      routeTargets({ type: 'stats', tUs: 1, mount: '/video2', encoder: 3, packetsSent: 1, bytesSent: 1 }, mounts),
      ['dynamic'],
    );
    assert.deepEqual(
      routeTargets({ type: 'client', event: 'playing', clientId: 1, mount: '/video1', encoder: 1 }, mounts),
      ['static'],
    );
    assert.deepEqual(routeTargets({ type: 'loop', count: 2 }, mounts), ['static', 'dynamic']);
    assert.deepEqual(routeTargets({ type: 'error', code: 'decode', message: 'a.mp4: broken' }, mounts), [
      'static',
      'dynamic',
    ]);
    assert.deepEqual(
      routeTargets(
        { type: 'crash', signal: 'SIGABRT', request: { serving: true, clientId: 2, method: 'SETUP' } },
        mounts,
      ),
      ['static', 'dynamic'],
    );
    assert.deepEqual(routeTargets({ type: 'client', event: 'connected', clientId: 4 }, mounts), ['static']);
    assert.deepEqual(routeTargets({ type: 'rejected', clientId: 4, reason: 'not_found', status: 404 }, mounts), [
      'static',
    ]);
  });

  it('sends a record about a mount the helper does not serve nowhere', () => {
    assert.deepEqual(routeTargets({ type: 'media', event: 'prepared', mount: '/video9', encoder: 1 }, mounts), []);
  });
});
