import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import type { HelperEvent } from '../../src/helper/events.ts';
import { spawnHelper, type HelperExit, type HelperProcess, type SpawnHelper } from '../../src/supervisor/helper-process.ts';
import { RestartPolicy } from '../../src/supervisor/restart-policy.ts';
import { HelperSupervisor, type StreamState } from '../../src/supervisor/helper-supervisor.ts';
import type { HelperSpec } from '../../src/streams/plan.ts';
import { setTimeout as sleep } from 'node:timers/promises';

const FAKE_HELPER = fileURLToPath(new URL('../fixtures/fake-helper.mjs', import.meta.url));

const helper: HelperSpec = {
  name: 'video1', file: 'a.mp4', port: 18901,
  streams: [{ number: 1, name: 'video1', mount: '/video1', mode: 'static', file: 'a.mp4', helperPort: 18901, startBitrateKbps: 5000 }],
};

function fakeSpawn(behaviour: string): SpawnHelper {
  return (args, callbacks) =>
    spawnHelper(args, callbacks, { binary: FAKE_HELPER, env: { FAKE_HELPER_BEHAVIOUR: behaviour, FAKE_HELPER_HEARTBEAT_MS: '100' } });
}

function supervise(behaviour: string, policy?: RestartPolicy, readyTimeoutMs?: number, watchdogSilenceMs?: number) {
  const events: HelperEvent[] = [];
  const states: StreamState[] = [];
  const warnings: string[] = [];
  const supervisor = new HelperSupervisor({
    helper,
    args: ['--mount', '/video1', '--port', '18901'],
    spawn: fakeSpawn(behaviour),
    onEvent: (event) => events.push(event),
    onStateChange: (state) => states.push(state),
    onWarning: (message) => warnings.push(message),
    onBadLine: (failure) => warnings.push(`bad line: ${failure.kind}`),
    policy,
    readyTimeoutMs,
    watchdogSilenceMs,
  });
  return { supervisor, events, states, warnings };
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

const fastPolicy = () =>
  new RestartPolicy({ initialDelayMs: 50, maxDelayMs: 200, healthyAfterMs: 60_000 });

describe('HelperSupervisor with a fake helper process', () => {
  it('runs the helper, forwards typed events and commands, stops it cleanly', async () => {
    const { supervisor, events, states } = supervise('serve');
    supervisor.start();
    await until(() => supervisor.state.kind === 'running');
    assert.equal(supervisor.send({ name: 'bitrate', kbps: 1234 }), true);
    await until(() => events.some((event) => event.type === 'bitrate'));
    assert.deepEqual(events.find((event) => event.type === 'bitrate'), { type: 'bitrate', bitrateKbps: 1234, requestedKbps: 1234 });
    await supervisor.stop();
    assert.deepEqual(states.map((state) => state.kind), ['starting', 'running', 'stopped']);
    assert.deepEqual(events.at(-1), { type: 'bye', reason: 'signal', exitCode: 0 });
  });

  it('restarts a crashing helper with growing delays, then marks the stream failed', async () => {
    const { supervisor, states, warnings } = supervise('crash', fastPolicy());
    supervisor.start();
    await until(() => supervisor.state.kind === 'failed', 10_000);
    const kinds = states.map((state) => state.kind);
    assert.deepEqual(kinds.filter((kind) => kind === 'restarting').length, 3);
    assert.equal(kinds.at(-1), 'failed');
    assert.match(warnings[0]!, /video1: helper exited with code 4 after .* restarting in 0.05 s/);
    assert.match(warnings[1]!, /restarting in 0.1 s/);
    assert.match(warnings[2]!, /restarting in 0.2 s/);
    assert.match(warnings[3]!, /giving up \(4 failures in a row, the last after a 0.2 s wait: helper exited with code 4\)/);
    assert.match(warnings[0]!, /a log line on stderr/, 'the crash message quotes the helper log');
    await supervisor.stop();
    assert.equal(supervisor.state.kind, 'failed', 'a failed stream stays visibly failed');
  });

  it('kills a helper that never becomes ready and counts it as a failure', async () => {
    const { supervisor, warnings } = supervise('never-ready', fastPolicy(), 200);
    supervisor.start();
    await until(() => supervisor.state.kind === 'restarting');
    assert.match(warnings[0]!, /did not become ready in time/);
    await supervisor.stop();
  });

  it('SIGKILLs a helper that ignores SIGTERM after the grace period', async () => {
    const { supervisor } = supervise('ignore-sigterm');
    supervisor.start();
    await until(() => supervisor.state.kind === 'running');
    const started = Date.now();
    await supervisor.stop(300);
    const took = Date.now() - started;
    assert.ok(took >= 300 && took < 3_000, `stop took ${took} ms`);
    assert.equal(supervisor.state.kind, 'stopped');
  });
});

/** An in-process helper that exits at once: the supervisor's timers alone pace it. */
function instantCrashSpawn(spawned: { count: number }): SpawnHelper {
  return () => {
    spawned.count += 1;
    const exited = Promise.resolve<HelperExit>({ exitCode: 4, durationMs: 0 });
    const helper: HelperProcess = { pid: 1, exited, send: () => false, kill: () => {}, terminate: () => exited };
    return helper;
  };
}

describe('HelperSupervisor: restart pacing and the watchdog', () => {
  it('waits 0.5, 1, 2, 4, 8, 16, 30 s between starts of a helper that always fails, then marks it failed', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
    let nowMs = 0;
    const spawned = { count: 0 };
    const states: StreamState[] = [];
    const supervisor = new HelperSupervisor({
      helper, args: [], spawn: instantCrashSpawn(spawned), now: () => nowMs,
      onEvent: () => {}, onStateChange: (state) => states.push(state), onWarning: () => {}, onBadLine: () => {},
    });
    supervisor.start();
    const flush = async () => { for (let i = 0; i < 5; i += 1) await Promise.resolve(); };
    await flush();
    // Advance virtual time in 100 ms steps for 5 minutes: a spinning supervisor would spawn thousands of times.
    for (let step = 0; step < 3_000 && supervisor.state.kind !== 'failed'; step += 1) {
      nowMs += 100;
      t.mock.timers.tick(100);
      await flush();
    }
    const delays = states.flatMap((state, i) => (state.kind === 'restarting' ? [state.retryAtMs - restartedAt(states, i)] : []));
    assert.deepEqual(delays, [500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000]);
    assert.equal(supervisor.state.kind, 'failed');
    assert.equal(spawned.count, 8, 'one start, seven restarts, no more');
    assert.ok(nowMs >= 61_500 && nowMs < 62_000, `gave up after ${nowMs} ms of virtual time`);
    await supervisor.stop();
  });

  it('SIGKILLs a helper that stops sending frames to a playing viewer (SIGSTOP), and restarts it', async () => {
    const { supervisor, states, warnings } = supervise('play', fastPolicy(), undefined, 600);
    supervisor.start();
    await until(() => supervisor.state.kind === 'running');
    const first = supervisor.state.kind === 'running' ? supervisor.state.pid! : 0;
    await sleep(1_000);
    assert.equal(supervisor.state.kind, 'running', 'frames every 40 ms keep the watchdog quiet');
    process.kill(first, 'SIGSTOP');
    const stoppedAt = Date.now();
    await until(() => supervisor.state.kind === 'running' && supervisor.state.pid !== first, 5_000);
    const took = Date.now() - stoppedAt;
    assert.ok(took >= 600 && took < 2_500, `detected and restarted after ${took} ms`);
    const restarting = states.find((state) => state.kind === 'restarting');
    assert.deepEqual(restarting && restarting.kind === 'restarting' && [restarting.lastExit, restarting.reason], ['was killed by SIGKILL', 'watchdog: no frames for 0.6 s']);
    assert.ok(warnings.some((w) => /watchdog: no frames for 0.6 s; killing the helper \(pid \d+\) with SIGKILL/.test(w)), warnings.join('\n'));
    assert.throws(() => process.kill(first, 0), /ESRCH/, 'the hung helper is gone');
    await supervisor.stop();
  });

  it('leaves an idle helper alone while it beats, and restarts it once it hangs (SIGSTOP)', async () => {
    const { supervisor, states } = supervise('serve', fastPolicy(), undefined, 600);
    supervisor.start();
    await until(() => supervisor.state.kind === 'running');
    const first = supervisor.state.kind === 'running' ? supervisor.state.pid! : 0;
    await sleep(1_000);
    assert.deepEqual(states.map((state) => state.kind), ['starting', 'running'], 'heartbeats every 100 ms keep the watchdog quiet');
    process.kill(first, 'SIGSTOP');
    await until(() => supervisor.state.kind === 'running' && supervisor.state.pid !== first, 5_000);
    const restarting = states.find((state) => state.kind === 'restarting');
    assert.deepEqual(restarting && restarting.kind === 'restarting' && [restarting.lastExit, restarting.reason], ['was killed by SIGKILL', 'watchdog: no heartbeat for 0.6 s']);
    await supervisor.stop();
  });

  it('restarts a helper killed by SIGSEGV', async () => {
    const { supervisor, states } = supervise('play', fastPolicy());
    supervisor.start();
    await until(() => supervisor.state.kind === 'running');
    const first = supervisor.state.kind === 'running' ? supervisor.state.pid! : 0;
    process.kill(first, 'SIGSEGV');
    await until(() => supervisor.state.kind === 'running' && supervisor.state.pid !== first, 5_000);
    const restarting = states.find((state) => state.kind === 'restarting');
    assert.equal(restarting?.kind === 'restarting' && restarting.lastExit, 'was killed by SIGSEGV');
    await supervisor.stop();
  });
});

/** When the failure recorded at states[index] happened: the instant helper fails as soon as the previous wait ends. */
function restartedAt(states: readonly StreamState[], index: number): number {
  const previous = states.slice(0, index).reverse().find((state) => state.kind === 'restarting');
  return previous?.kind === 'restarting' ? previous.retryAtMs : 0;
}
