import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Decision } from '../../src/control/controller.ts';
import { StreamControl } from '../../src/control/stream-control.ts';
import type { HelperCommand } from '../../src/helper/commands.ts';

function setup() {
  let nowMs = 0;
  const sent: HelperCommand[] = [];
  const decisions: Decision[] = [];
  const control = new StreamControl({
    config: { minKbps: 300, maxKbps: 8000, startKbps: 2000 },
    clock: { fromMonotonicUs: (us) => us / 1000, nowMs: () => nowMs },
    send: (command) => {
      sent.push(command);
      return true;
    },
    onDecision: (decision) => decisions.push(decision),
  });
  return { control, sent, decisions, at: (ms: number) => (nowMs = ms) };
}

describe('StreamControl', () => {
  it('turns a lossy receiver report into a lower `bitrate` command and a decision', () => {
    const { control, sent, decisions, at } = setup();
    control.onEvent({ type: 'client', event: 'playing', clientId: 3, transport: 'udp' });
    control.onEvent({ type: 'stats', tUs: 1_000_000, packetsSent: 0, bytesSent: 0 });
    control.onEvent({ type: 'stats', tUs: 2_000_000, packetsSent: 200, bytesSent: 250_000 });
    at(2500);
    control.onEvent({ type: 'rtcp', ssrc: 1, clientId: 3, rttUs: 300_000, jitterUs: 0, fractionLost: 0.5, packetsLost: 100, highestSeq: 200, reports: 1 });
    assert.equal(decisions.length, 1);
    const [decision] = decisions;
    assert.equal(decision!.viewer, 'client:3');
    assert.equal(decision!.reason, 'loss');
    // 2000 kbit/s sent, half of it lost: 1000 delivered, 70 % of that for a full queue.
    assert.equal(decision!.targetKbps, 700);
    assert.deepEqual(sent, [{ name: 'bitrate', kbps: 700 }]);
  });

  it('uses a TCP viewer\'s send queue, and forgets viewers when the media goes', () => {
    const { control, sent, at } = setup();
    control.onEvent({ type: 'client', event: 'playing', clientId: 1, transport: 'tcp' });
    control.onEvent({ type: 'stats', tUs: 1_000_000, packetsSent: 0, bytesSent: 0 });
    control.onEvent({ type: 'stats', tUs: 2_000_000, packetsSent: 200, bytesSent: 250_000 });
    for (let i = 0; i <= 8; i++) {
      at(2000 + i * 250);
      control.onEvent({ type: 'queue', clientId: 1, unsentBytes: i * 40_000 });
    }
    assert.ok(sent.length >= 1 && sent.every((c) => c.name === 'bitrate' && c.kbps < 2000), JSON.stringify(sent));
    const target = control.targetKbps;
    const commands = sent.length;
    control.onEvent({ type: 'media', event: 'unprepared' });
    // The old viewer is forgotten: a new viewer's first signal holds, and its clean path then
    // raises the target, which the old viewer's stale rate (the weakest) would have pinned.
    control.onEvent({ type: 'media', event: 'prepared', fps: 30 });
    for (let second = 7; second <= 12; second++) {
      control.onEvent({ type: 'stats', tUs: second * 1_000_000, packetsSent: second * 100, bytesSent: second * 150_000 });
      for (let quarter = 0; quarter < 4; quarter++) {
        at(second * 1000 + quarter * 250);
        control.onEvent({ type: 'queue', clientId: 2, unsentBytes: 0 });
        if (second === 7 && quarter === 0) assert.equal(sent.length, commands, 'a first signal holds');
      }
    }
    assert.ok(control.targetKbps > target, `${target} -> ${control.targetKbps}`);
  });

  it('judges no send queue before the stream\'s first second of `stats`', () => {
    const { control, sent, at } = setup();
    control.onEvent({ type: 'client', event: 'playing', clientId: 1, transport: 'tcp' });
    for (let i = 0; i <= 8; i++) {
      at(i * 250);
      control.onEvent({ type: 'queue', clientId: 1, unsentBytes: i * 40_000 });
    }
    assert.deepEqual(sent, []);
  });

  it('gives a restarted helper the current target when it is ready', () => {
    const { control, sent, at } = setup();
    control.onEvent({ type: 'client', event: 'playing', clientId: 1, transport: 'udp' });
    at(5000);
    control.onEvent({ type: 'rtcp', ssrc: 1, clientId: 1, rttUs: 1000, jitterUs: 0, fractionLost: 0.4, packetsLost: 40, highestSeq: 100, reports: 1 });
    const target = control.targetKbps;
    assert.ok(target < 2000);
    control.onHelperGone();
    control.onEvent({ type: 'ready', host: '127.0.0.1', port: 1, mount: '/video2', url: 'rtsp://127.0.0.1:1/video2' });
    assert.deepEqual(sent.at(-1), { name: 'bitrate', kbps: target });
  });
});
