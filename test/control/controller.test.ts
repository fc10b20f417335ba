// The controller on traces: a fluid bottleneck model (link-model.ts) with viewers that report
// as real clients do. Each test asserts a trajectory: where the target is, and when.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BitrateController } from '../../src/control/controller.ts';
import { MAX_STEP_UP } from '../../src/control/tuning.ts';
import { runTrace, seededNoise, steps } from './link-model.ts';

const bounds = { minKbps: 300, maxKbps: 8000 };
const config = { ...bounds, startKbps: 2000 };

const targetsBetween = (trace: ReturnType<typeof runTrace>, fromMs: number, toMs: number) =>
  trace.target.filter(({ tMs }) => tMs >= fromMs && tMs <= toMs).map(({ kbps }) => kbps);

describe('BitrateController', () => {
  it('capacity step down, UDP viewer: below the new capacity within two receiver reports', () => {
    const trace = runTrace(
      config,
      [{ name: 'v', transport: 'udp', capacityKbps: steps([0, 2500], [30_000, 600]) }],
      60_000,
    );
    assert.ok(trace.targetAt(30_000) > 1800, `before the drop: ${trace.targetAt(30_000)}`);
    assert.ok(trace.targetAt(40_000) <= 600, `10 s after the drop: ${trace.targetAt(40_000)}`);
    const cuts = trace.decisions.filter((d) => d.tMs > 30_000 && d.targetKbps < d.previousKbps);
    assert.deepEqual(
      cuts.slice(0, 2).map((d) => d.reason),
      ['loss', 'loss'],
    );
    // Then it probes back towards the capacity, without collapsing to the floor.
    const recovering = targetsBetween(trace, 45_000, 60_000);
    assert.ok(Math.min(...recovering) >= 400, recovering.join(','));
  });

  it('capacity step down, TCP viewer: its send queue collapsing brings the target below capacity within 0.5 s', () => {
    const trace = runTrace(
      config,
      [{ name: 'v', transport: 'tcp', capacityKbps: steps([0, 2500], [30_000, 600]) }],
      60_000,
    );
    assert.ok(trace.targetAt(29_000) > 1800, `before the drop: ${trace.targetAt(29_000)}`);
    assert.ok(trace.targetAt(30_500) <= 600, `0.5 s after the drop: ${trace.targetAt(30_500)}`);
    assert.equal(trace.decisions.find((d) => d.tMs > 30_000)?.reason, 'queue');
    assert.ok(trace.queueMsAt('v', 40_000) < 50, 'the queue has drained 10 s after the drop');
    assert.ok(Math.min(...targetsBetween(trace, 40_000, 60_000)) >= 400);
  });

  it('capacity step down, TWCC viewer: below the new capacity within 0.25 s, never under 65 % of it, settled within 2 s', () => {
    const trace = runTrace(
      config,
      [{ name: 'v', transport: 'udp', twcc: true, capacityKbps: steps([0, 2500], [30_000, 600]) }],
      60_000,
    );
    assert.ok(trace.targetAt(29_900) > 1800, `before the drop: ${trace.targetAt(29_900)}`);
    assert.ok(trace.targetAt(30_250) <= 600, `0.25 s after the drop: ${trace.targetAt(30_250)}`);
    assert.ok(
      Math.min(...targetsBetween(trace, 30_000, 60_000)) >= 0.65 * 600,
      `${Math.min(...targetsBetween(trace, 30_000, 60_000))}`,
    );
    assert.ok(trace.settleS('v', 30_000)! <= 2, `settled after ${trace.settleS('v', 30_000)} s`);
    assert.ok(trace.summary('v').lossPct < 1);
  });

  it('capacity step up, TWCC viewer: probes up to the new capacity within 5 s', () => {
    const trace = runTrace(
      { ...config, startKbps: 800 },
      [{ name: 'v', transport: 'udp', twcc: true, capacityKbps: steps([0, 1000], [30_000, 2500]) }],
      60_000,
    );
    assert.ok(trace.targetAt(30_000) <= 1100, `before the step: ${trace.targetAt(30_000)}`);
    const after = targetsBetween(trace, 30_000, 35_000);
    assert.ok(Math.max(...after) >= 2200, after.join(','));
  });

  it("RFC 8867's schedule, TWCC viewer with a key frame burst every second: 85 % of the capacity used, under 1 % lost", () => {
    const trace = runTrace(
      config,
      [
        {
          name: 'v',
          transport: 'udp',
          twcc: true,
          keyFrames: true,
          capacityKbps: steps([0, 1000], [40_000, 2500], [60_000, 600], [80_000, 1000]),
        },
      ],
      100_000,
    );
    const { utilisation, lossPct } = trace.summary('v');
    assert.ok(utilisation >= 0.85 && lossPct < 1, `utilisation ${utilisation}, loss ${lossPct} %`);
    // A key frame's burst alone is no reason to cut: at the path's capacity, cuts come seconds apart.
    const cuts = trace.decisions.filter((d) => d.targetKbps < d.previousKbps && d.tMs >= 10_000 && d.tMs < 40_000);
    assert.ok(cuts.length <= 8, `${cuts.length} cuts in 30 s of a steady path`);
  });

  it('a poorer signal cuts when it shows an overuse, but does not probe while a richer one is fresh', () => {
    const controller = new BitrateController(config);
    for (let tMs = 1000; tMs <= 5000; tMs += 1000) controller.observe({ kind: 'sent', tMs, sentKbps: 2000 });
    const twcc = (tMs: number) =>
      controller.observe({
        kind: 'twcc',
        viewer: 'v',
        tMs,
        packets: 8,
        lost: 0,
        groups: [{ sendMs: tMs, arrivalMs: tMs + 1, bytes: 8000 }],
      });
    for (let tMs = 4000; tMs <= 5000; tMs += 33) twcc(tMs);
    const target = controller.targetKbps;
    assert.equal(
      controller.observe({ kind: 'report', viewer: 'v', tMs: 5010, rttMs: 1, loss: 0, trusted: true }),
      undefined,
      'a clean report beside fresh TWCC',
    );
    assert.equal(controller.targetKbps, target);
    assert.equal(
      controller.observe({ kind: 'report', viewer: 'v', tMs: 5020, rttMs: 1, loss: 0.5, trusted: true })?.reason,
      'loss',
      'a lossy one cuts',
    );
  });

  it('capacity step up: probes up from the old capacity to the new one', () => {
    for (const transport of ['udp', 'tcp'] as const) {
      const trace = runTrace(
        { ...config, startKbps: 500 },
        [{ name: 'v', transport, capacityKbps: steps([0, 600], [30_000, 2500]) }],
        70_000,
      );
      assert.ok(trace.targetAt(30_000) <= 700, `${transport} before the step: ${trace.targetAt(30_000)}`);
      const after = targetsBetween(trace, 55_000, 70_000);
      assert.ok(Math.max(...after) >= 2000, `${transport} 25..40 s after the step: ${after.join(',')}`);
    }
  });

  it('loss burst: one lossy report cuts the rate, clean reports bring it back', () => {
    const trace = runTrace(
      config,
      [
        {
          name: 'v',
          transport: 'udp',
          capacityKbps: () => 2500,
          extraLoss: (tMs) => (tMs > 30_000 && tMs <= 35_000 ? 0.3 : 0),
        },
      ],
      70_000,
    );
    const before = trace.targetAt(30_000);
    const cut = trace.decisions.find((d) => d.tMs > 30_000)!;
    assert.equal(cut.reason, 'loss');
    assert.ok(cut.targetKbps < before * 0.7, `${before} -> ${cut.targetKbps}`);
    assert.ok(trace.targetAt(55_000) >= before * 0.75, `recovered to ${trace.targetAt(55_000)} of ${before}`);
  });

  it('noisy RTT (±10 ms around 20 ms) on a fast path: never a decrease, up to the maximum', () => {
    const noise = seededNoise(7, 10);
    const trace = runTrace(
      config,
      [{ name: 'v', transport: 'udp', capacityKbps: () => 20_000, baseRttMs: 20, rttNoiseMs: noise }],
      60_000,
    );
    assert.ok(trace.decisions.length >= 3);
    assert.ok(
      trace.decisions.every((d) => d.targetKbps > d.previousKbps),
      JSON.stringify(trace.decisions),
    );
    assert.equal(trace.targetAt(60_000), 8000);
  });

  it('a key frame burst in one RTT sample, or a queue already shrinking, does not cut', () => {
    const controller = new BitrateController(config);
    const report = (tMs: number, rttMs: number) =>
      controller.observe({ kind: 'report', viewer: 'v', tMs, rttMs, loss: 0, trusted: true });
    for (let tMs = 1000; tMs <= 30_000; tMs += 1000) controller.observe({ kind: 'sent', tMs, sentKbps: 2000 });
    report(5000, 2);
    assert.equal(report(10_000, 120), undefined, 'one sample of 118 ms over the base: a burst');
    assert.equal(report(15_000, 90)?.reason, undefined, 'two running, but the second is lower: draining');
    assert.equal(report(20_000, 130)?.reason, 'delay', 'two running and growing: a standing queue');
  });

  it('silent viewer: no signal, no decision; the start bitrate holds', () => {
    const trace = runTrace(config, [{ name: 'v', transport: 'udp', capacityKbps: () => 600, silent: true }], 30_000);
    assert.deepEqual(trace.decisions, []);
    assert.deepEqual([...new Set(targetsBetween(trace, 0, 30_000))], [2000]);
  });

  it('a viewer that falls silent leaves the target where its last signal put it', () => {
    const controller = new BitrateController(config);
    const lossy = controller.observe({ kind: 'report', viewer: 'v', tMs: 5000, rttMs: 40, loss: 0.5, trusted: true });
    assert.equal(lossy?.reason, 'loss');
    for (let tMs = 6000; tMs < 60_000; tMs += 1000)
      assert.equal(controller.observe({ kind: 'sent', tMs, sentKbps: 700 }), undefined);
    assert.equal(controller.targetKbps, lossy?.targetKbps);
  });

  it('two viewers of different capacity: the weakest sets the target', () => {
    const trace = runTrace(
      config,
      [
        { name: 'strong', transport: 'udp', capacityKbps: () => 3000 },
        { name: 'weak', transport: 'tcp', capacityKbps: () => 800 },
      ],
      60_000,
    );
    const settled = targetsBetween(trace, 10_000, 60_000);
    // Around the weak path's 800 kbit/s (probing overshoots it briefly), far from the strong one's 3000.
    const mean = settled.reduce((sum, kbps) => sum + kbps, 0) / settled.length;
    assert.ok(
      mean >= 600 && mean <= 850 && Math.max(...settled) < 1000 && Math.min(...settled) >= 450,
      `${Math.min(...settled)}..${Math.max(...settled)}, mean ${mean}`,
    );
    assert.equal(trace.summary('strong').lossPct, 0);
    // The strong viewer's rate moves only at its reports; now and then it is the lower one for a moment.
    const later = trace.decisions.filter((d) => d.tMs > 10_000);
    // A strong viewer's clean report may move the target only by what it says of itself.
    assert.ok(
      trace.decisions.every((d) => d.signalFrom === d.viewer || d.reason === 'probe' || d.reason === 'viewer-left'),
    );
    assert.ok(
      later.filter((d) => d.viewer === 'weak').length >= later.length * 0.8,
      JSON.stringify(later.map((d) => d.viewer)),
    );
  });

  it('a viewer leaving: the target climbs towards the remaining viewer, one step at a time', () => {
    const trace = runTrace(
      config,
      [
        { name: 'strong', transport: 'udp', capacityKbps: () => 3000 },
        { name: 'weak', transport: 'tcp', capacityKbps: () => 800, leaveMs: 40_000 },
      ],
      90_000,
    );
    const left = trace.decisions.find((d) => d.reason === 'viewer-left')!;
    assert.equal(left.tMs, 40_000);
    assert.equal(left.signalFrom, 'weak');
    assert.equal(left.viewer, 'strong');
    assert.ok(
      left.targetKbps <= Math.round(left.previousKbps * MAX_STEP_UP),
      `${left.previousKbps} -> ${left.targetKbps}`,
    );
    assert.ok(trace.targetAt(60_000) >= 2000, `20 s after: ${trace.targetAt(60_000)}`);
  });

  it('stays within its bounds', () => {
    const trace = runTrace(
      { minKbps: 500, maxKbps: 1500, startKbps: 1000 },
      [{ name: 'v', transport: 'tcp', capacityKbps: steps([0, 5000], [20_000, 200]) }],
      40_000,
    );
    const all = targetsBetween(trace, 0, 40_000);
    assert.equal(Math.max(...all), 1500);
    assert.equal(Math.min(...all), 500);
  });
});
