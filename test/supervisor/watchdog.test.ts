import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HelperWatchdog } from '../../src/supervisor/watchdog.ts';

const heartbeat = { type: 'heartbeat', tUs: 1, connections: 0, sessions: 0 } as const;

describe('HelperWatchdog', () => {
  it('is quiet while heartbeats come, however long the helper idles', () => {
    const watchdog = new HelperWatchdog(0);
    for (let t = 1_000; t <= 3_600_000; t += 1_000) {
      watchdog.onEvent(heartbeat, t);
      assert.equal(watchdog.check(t + 999), undefined);
    }
  });

  it('5 s without a heartbeat is a hang, whatever else comes (frames come from streaming threads)', () => {
    const watchdog = new HelperWatchdog(0);
    watchdog.onEvent(heartbeat, 2_000);
    assert.equal(watchdog.check(6_999), undefined);
    assert.equal(watchdog.check(7_000), 'watchdog: no heartbeat for 5 s');
    const playing = new HelperWatchdog(0);
    playing.onEvent({ type: 'client', event: 'playing', clientId: 1 }, 0);
    for (let t = 40; t <= 6_000; t += 40) playing.onEvent({ type: 'frame', outUs: t }, t);
    assert.equal(playing.check(6_000), 'watchdog: no heartbeat for 5 s');
  });

  it('with a playing viewer: 5 s without frames is a hang, counted from PLAY, heartbeats or not', () => {
    const watchdog = new HelperWatchdog(0);
    watchdog.onEvent({ type: 'media', event: 'prepared' }, 0);
    watchdog.onEvent({ type: 'client', event: 'playing', clientId: 1 }, 10_000);
    for (let t = 11_000; t <= 15_000; t += 1_000) watchdog.onEvent(heartbeat, t);
    watchdog.onEvent({ type: 'stats', tUs: 1, packetsSent: 0, bytesSent: 0 }, 14_500);
    assert.equal(watchdog.check(14_999), undefined);
    assert.equal(
      watchdog.check(15_000),
      'watchdog: no frames for 5 s',
      'stats and heartbeats do not prove frames flow',
    );
    watchdog.onEvent({ type: 'frame', outUs: 1 }, 15_100);
    assert.equal(watchdog.check(19_000), undefined);
  });

  it('a skipped viewer still plays: without frames after its skip and resume, the helper is hung', () => {
    const watchdog = new HelperWatchdog(0);
    watchdog.onEvent({ type: 'client', event: 'playing', clientId: 1 }, 0);
    watchdog.onEvent({ type: 'client', event: 'skipping', clientId: 1, unsentBytes: 200_000 }, 1_000);
    watchdog.onEvent({ type: 'client', event: 'resumed', clientId: 1, skippedMs: 900 }, 1_900);
    for (let t = 1_000; t <= 7_000; t += 1_000) watchdog.onEvent(heartbeat, t);
    assert.equal(watchdog.check(5_000), 'watchdog: no frames for 5 s');
  });

  it('a viewer whose connection is backed up is slow, not hung: no frames while it catches up is no hang', () => {
    const watchdog = new HelperWatchdog(0);
    watchdog.onEvent({ type: 'media', event: 'prepared' }, 0);
    watchdog.onEvent({ type: 'client', event: 'playing', clientId: 1, transport: 'tcp' }, 0);
    for (let t = 250; t <= 8_000; t += 250) {
      watchdog.onEvent({ type: 'queue', clientId: 1, unsentBytes: 2_500_000 }, t);
      if (t % 1_000 === 0) watchdog.onEvent(heartbeat, t);
    }
    assert.equal(watchdog.check(8_000), undefined, 'frames wait for the viewer');
    watchdog.onEvent({ type: 'queue', clientId: 1, unsentBytes: 0 }, 8_250);
    assert.equal(
      watchdog.check(8_250),
      'watchdog: no frames for 5 s',
      'its connection drained and still no frame: a hang',
    );
    watchdog.onEvent({ type: 'queue', clientId: 1, unsentBytes: 9_000 }, 8_500);
    assert.equal(
      watchdog.check(9_600),
      'watchdog: no frames for 5 s',
      'a backlog sample over a second old says nothing',
    );
  });

  it('forgets viewers that left', () => {
    const watchdog = new HelperWatchdog(0, 1_000);
    watchdog.onEvent({ type: 'media', event: 'prepared' }, 0);
    watchdog.onEvent({ type: 'client', event: 'playing', clientId: 1 }, 0);
    watchdog.onEvent({ type: 'client', event: 'closed', clientId: 1 }, 500);
    watchdog.onEvent({ type: 'media', event: 'unprepared' }, 600);
    watchdog.onEvent(heartbeat, 59_500);
    assert.equal(watchdog.check(60_000), undefined);
  });
});
