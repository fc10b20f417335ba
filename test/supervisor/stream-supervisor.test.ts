import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import type { HelperEvent } from '../../src/helper/protocol.ts';
import { spawnHelper, type SpawnHelper } from '../../src/supervisor/helper-process.ts';
import { RestartPolicy } from '../../src/supervisor/restart-policy.ts';
import { StreamSupervisor, type StreamState } from '../../src/supervisor/stream-supervisor.ts';
import type { StreamSpec } from '../../src/streams/plan.ts';

const FAKE_HELPER = fileURLToPath(new URL('../fixtures/fake-helper.mjs', import.meta.url));

const stream: StreamSpec = {
  number: 1, name: 'video1', mount: '/video1', mode: 'static', file: 'a.mp4', helperPort: 18901, startBitrateKbps: 5000,
};

function fakeSpawn(behaviour: string): SpawnHelper {
  return (args, callbacks) =>
    spawnHelper(args, callbacks, { binary: FAKE_HELPER, env: { FAKE_HELPER_BEHAVIOUR: behaviour } });
}

function supervise(behaviour: string, policy?: RestartPolicy, readyTimeoutMs?: number) {
  const events: HelperEvent[] = [];
  const states: StreamState[] = [];
  const warnings: string[] = [];
  const supervisor = new StreamSupervisor({
    stream,
    args: ['--mount', '/video1', '--port', '18901'],
    spawn: fakeSpawn(behaviour),
    onEvent: (event) => events.push(event),
    onStateChange: (state) => states.push(state),
    onWarning: (message) => warnings.push(message),
    onBadLine: (failure) => warnings.push(`bad line: ${failure.kind}`),
    policy,
    readyTimeoutMs,
  });
  return { supervisor, events, states, warnings };
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const fastPolicy = () =>
  new RestartPolicy({ initialDelayMs: 50, maxDelayMs: 400, healthyAfterMs: 60_000, maxFailures: 3, failureWindowMs: 60_000 });

describe('StreamSupervisor with a fake helper process', () => {
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
    assert.deepEqual(kinds.filter((kind) => kind === 'restarting').length, 2);
    assert.equal(kinds.at(-1), 'failed');
    assert.match(warnings[0]!, /video1: helper exited with code 4 after .* restarting in 0.05 s/);
    assert.match(warnings[1]!, /restarting in 0.1 s/);
    assert.match(warnings[2]!, /giving up \(3 failures in 60 s, the last: helper exited with code 4\)/);
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
