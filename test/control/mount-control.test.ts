import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MountControl } from '../../src/control/mount-control.ts';
import type { ViewerReport } from '../../src/feedback/stream-feedback.ts';
import type { HelperCommand } from '../../src/helper/commands.ts';

function lossyReport(clientId: number): ViewerReport {
  return {
    type: 'report',
    viewer: `client:${clientId}`,
    clientId,
    address: '127.0.0.1',
    transport: 'udp',
    reports: 1,
    cadenceMs: undefined,
    corrected: false,
    tUs: 0,
    rttUs: 300_000,
    jitterUs: 0,
    fractionLost: 0.5,
    packetsLost: 100,
    highestSeq: 200,
    intervalLoss: 0.5,
    expected: 200,
  };
}

function setup() {
  let nowMs = 0;
  const sent: HelperCommand[] = [];
  const decisions: Array<[number, number]> = [];
  const control = new MountControl({
    config: { minKbps: 300, maxKbps: 8000, startKbps: 2000 },
    clock: { fromMonotonicUs: (us) => us / 1000, nowMs: () => nowMs },
    send: (command) => sent.push(command) > 0,
    onDecision: (decision, encoder) => decisions.push([encoder, decision.targetKbps]),
  });
  /** A viewer playing its own encoder, which has sent 2000 kbit/s for a second. */
  const play = (encoder: number) => {
    control.onEvent({ type: 'media', event: 'prepared', encoder, width: 640, height: 480, fps: 30 });
    control.onEvent({ type: 'client', event: 'playing', clientId: encoder, transport: 'udp', encoder });
    control.onEvent({ type: 'stats', tUs: 1_000_000, encoder, packetsSent: 0, bytesSent: 0 });
    control.onEvent({ type: 'stats', tUs: 2_000_000, encoder, packetsSent: 200, bytesSent: 250_000 });
  };
  return { control, sent, decisions, play, at: (ms: number) => (nowMs = ms) };
}

describe('MountControl', () => {
  it("gives each encoder its own controller: one viewer's loss lowers its own encoder only", () => {
    const { control, sent, decisions, play, at } = setup();
    play(1);
    play(2);
    at(2500);
    control.onEvent(lossyReport(1));
    assert.deepEqual(decisions, [[1, 700]]);
    assert.deepEqual(sent, [{ name: 'bitrate', kbps: 700, encoder: 1 }]);
    assert.deepEqual(
      [...control.targets()],
      [
        [1, 700],
        [2, 2000],
      ],
    );
  });

  it("ends an encoder's controller with its media, ignores its late records, and starts over with a restarted helper", () => {
    const { control, sent, play, at } = setup();
    play(1);
    play(2);
    control.onEvent({ type: 'media', event: 'unprepared', encoder: 1 });
    control.onEvent({ type: 'stats', tUs: 3_000_000, encoder: 1, packetsSent: 300, bytesSent: 300_000 });
    assert.deepEqual([...control.targets().keys()], [2]);
    at(2500);
    control.onEvent(lossyReport(1));
    assert.deepEqual(sent, [], 'a report of a viewer whose encoder is gone moves nothing');
    control.onEvent({ type: 'ready', host: '127.0.0.1', port: 1, mount: '/video2', url: 'rtsp://127.0.0.1:1/video2' });
    assert.equal(control.targets().size, 0);
  });

  it('drives a helper without encoder ids (one encoder for all) with plain `bitrate N`', () => {
    const { control, sent, at } = setup();
    control.onEvent({ type: 'media', event: 'prepared', width: 640, height: 480, fps: 30 });
    control.onEvent({ type: 'client', event: 'playing', clientId: 1, transport: 'udp' });
    control.onEvent({ type: 'stats', tUs: 1_000_000, packetsSent: 0, bytesSent: 0 });
    control.onEvent({ type: 'stats', tUs: 2_000_000, packetsSent: 200, bytesSent: 250_000 });
    at(2500);
    control.onEvent(lossyReport(1));
    assert.deepEqual(sent, [{ name: 'bitrate', kbps: 700 }]);
  });
});
