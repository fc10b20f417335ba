import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Decision } from '../../src/control/controller.ts';
import { EncoderControl } from '../../src/control/encoder-control.ts';
import type { ViewerReport } from '../../src/feedback/stream-feedback.ts';
import type { HelperCommand } from '../../src/helper/commands.ts';

/** A receiver report once checked (src/feedback/), of client 1. */
function report(figures: Partial<ViewerReport>): ViewerReport {
  return {
    type: 'report',
    viewer: 'client:1',
    clientId: 1,
    address: '127.0.0.1',
    transport: 'udp',
    reports: 1,
    cadenceMs: undefined,
    corrected: false,
    tUs: 0,
    rttUs: undefined,
    jitterUs: 0,
    fractionLost: 0,
    packetsLost: 0,
    highestSeq: 100,
    intervalLoss: 0,
    expected: 100,
    ...figures,
  };
}

function setup() {
  let nowMs = 0;
  const sent: HelperCommand[] = [];
  const decisions: Decision[] = [];
  const control = new EncoderControl({
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

describe('EncoderControl', () => {
  it('turns a lossy receiver report into a lower `bitrate` command and a decision', () => {
    const { control, sent, decisions, at } = setup();
    control.onEvent({ type: 'client', event: 'playing', clientId: 3, transport: 'udp' });
    control.onEvent({ type: 'stats', tUs: 1_000_000, packetsSent: 0, bytesSent: 0 });
    control.onEvent({ type: 'stats', tUs: 2_000_000, packetsSent: 200, bytesSent: 250_000 });
    at(2500);
    control.onEvent(
      report({
        viewer: 'client:3',
        clientId: 3,
        rttUs: 300_000,
        fractionLost: 0.5,
        packetsLost: 100,
        highestSeq: 200,
        intervalLoss: 0.5,
      }),
    );
    assert.equal(decisions.length, 1);
    const [decision] = decisions;
    assert.equal(decision!.viewer, 'client:3');
    assert.equal(decision!.reason, 'loss');
    // 2000 kbit/s sent, half of it lost: 1000 delivered, 70 % of that for a full queue.
    assert.equal(decision!.targetKbps, 700);
    assert.deepEqual(sent, [{ name: 'bitrate', kbps: 700 }]);
  });

  it("uses a TCP viewer's send queue, and forgets viewers when the media goes", () => {
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
      control.onEvent({
        type: 'stats',
        tUs: second * 1_000_000,
        packetsSent: second * 100,
        bytesSent: second * 150_000,
      });
      for (let quarter = 0; quarter < 4; quarter++) {
        at(second * 1000 + quarter * 250);
        control.onEvent({ type: 'queue', clientId: 2, unsentBytes: 0 });
        if (second === 7 && quarter === 0) assert.equal(sent.length, commands, 'a first signal holds');
      }
    }
    assert.ok(control.targetKbps > target, `${target} -> ${control.targetKbps}`);
  });

  it("judges no send queue before the stream's first second of `stats`", () => {
    const { control, sent, at } = setup();
    control.onEvent({ type: 'client', event: 'playing', clientId: 1, transport: 'tcp' });
    for (let i = 0; i <= 8; i++) {
      at(i * 250);
      control.onEvent({ type: 'queue', clientId: 1, unsentBytes: i * 40_000 });
    }
    assert.deepEqual(sent, []);
  });

  it('sets the encoder above the target by the shortfall it shows, up to 1.2 times', () => {
    const { control, sent } = setup();
    control.onEvent({ type: 'bitrate', bitrateKbps: 2000 });
    control.onEvent({ type: 'stats', tUs: 0, packetsSent: 0, bytesSent: 0 });
    // 1700 kbit/s a second at a setting of 2000: 85 % of it.
    const second = (tS: number, bytesSent: number) => {
      control.onEvent({ type: 'stats', tUs: tS * 1_000_000, packetsSent: 0, bytesSent });
      const last = sent.at(-1);
      if (last?.name === 'bitrate')
        control.onEvent({ type: 'bitrate', bitrateKbps: last.kbps, requestedKbps: last.kbps });
    };
    for (let tS = 1; tS <= 30; tS++) second(tS, tS * 212_500);
    const setting = sent.at(-1);
    assert.ok(setting?.name === 'bitrate' && setting.kbps >= 2300 && setting.kbps <= 2400, JSON.stringify(setting));
    assert.equal(control.targetKbps, 2000, 'the target is what should leave the server');
    // A still picture sends a fraction of its bitrate: no more than 1.2 times the target for it.
    for (let tS = 31; tS <= 60; tS++) second(tS, 30 * 212_500 + (tS - 30) * 25_000);
    const still = sent.at(-1);
    assert.ok(still?.name === 'bitrate' && still.kbps > 2370 && still.kbps <= 2400, JSON.stringify(still));
  });
});
