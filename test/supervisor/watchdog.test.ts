import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HelperWatchdog } from '../../src/supervisor/watchdog.ts';

describe('HelperWatchdog', () => {
  it('is quiet while idle (no media, no viewer), however long', () => {
    const watchdog = new HelperWatchdog(0);
    assert.equal(watchdog.check(3_600_000), undefined);
  });

  it('with a playing viewer: 5 s without frames is a hang, counted from PLAY', () => {
    const watchdog = new HelperWatchdog(0);
    watchdog.onEvent({ type: 'media', event: 'prepared' }, 0);
    watchdog.onEvent({ type: 'client', event: 'playing', clientId: 1 }, 10_000);
    watchdog.onEvent({ type: 'stats', tUs: 1, packetsSent: 0, bytesSent: 0 }, 14_500);
    assert.equal(watchdog.check(14_999), undefined);
    assert.equal(watchdog.check(15_000), 'watchdog: no frames for 5 s', 'stats alone do not prove frames flow');
    watchdog.onEvent({ type: 'frame', outUs: 1 }, 15_100);
    assert.equal(watchdog.check(19_000), undefined);
  });

  it('with a media but no viewer: 5 s without any record is a hang (stats come every second)', () => {
    const watchdog = new HelperWatchdog(0);
    watchdog.onEvent({ type: 'media', event: 'prepared' }, 1_000);
    watchdog.onEvent({ type: 'stats', tUs: 1, packetsSent: 0, bytesSent: 0 }, 2_000);
    assert.equal(watchdog.check(6_999), undefined);
    assert.equal(watchdog.check(7_000), 'watchdog: no records for 5 s while a media exists');
  });

  it('forgets viewers that left and media that ended', () => {
    const watchdog = new HelperWatchdog(0, 1_000);
    watchdog.onEvent({ type: 'media', event: 'prepared' }, 0);
    watchdog.onEvent({ type: 'client', event: 'playing', clientId: 1 }, 0);
    watchdog.onEvent({ type: 'client', event: 'closed', clientId: 1 }, 500);
    watchdog.onEvent({ type: 'media', event: 'unprepared' }, 600);
    assert.equal(watchdog.check(60_000), undefined);
  });
});
