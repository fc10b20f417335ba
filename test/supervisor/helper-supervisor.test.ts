import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, it } from 'node:test';
import type { HelperEvent } from '../../src/helper/events.ts';
import {
  spawnHelper,
  type HelperExit,
  type HelperProcess,
  type SpawnHelper,
} from '../../src/supervisor/helper-process.ts';
import { RestartPolicy } from '../../src/supervisor/restart-policy.ts';
import { HelperSupervisor, type StreamState } from '../../src/supervisor/helper-supervisor.ts';
import type { HelperSpec } from '../../src/streams/plan.ts';
import { setTimeout as sleep } from 'node:timers/promises';

const FAKE_HELPER = fileURLToPath(new URL('../fixtures/fake-helper.mjs', import.meta.url));

const helper: HelperSpec = {
  name: 'video1',
  file: 'a.mp4',
  port: 18901,
  picture: { width: 640, height: 480, fps: 30 },
  audio: undefined,
  uri: undefined,
  streams: [
    {
      number: 1,
      name: 'video1',
      mount: '/video1',
      mode: 'static',
      file: 'a.mp4',
      helperPort: 18901,
      startBitrateKbps: 5000,
      picture: { width: 640, height: 480, fps: 30 },
      audio: undefined,
      audioText: 'no audio',
      uri: undefined,
    },
  ],
};

function fakeSpawn(behaviour: string): SpawnHelper {
  return (args, callbacks) =>
    spawnHelper(args, callbacks, {
      binary: FAKE_HELPER,
      env: { FAKE_HELPER_BEHAVIOUR: behaviour, FAKE_HELPER_HEARTBEAT_MS: '100' },
    });
}

/** Every supervisor a test made: stopped after it, passed or failed, so no fake helper outlives its test. */
const made: HelperSupervisor[] = [];
afterEach(async () => {
  await Promise.all(made.splice(0).map((supervisor) => supervisor.stop()));
});

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
  made.push(supervisor);
  return { supervisor, events, states, warnings };
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

const fastPolicy = () => new RestartPolicy({ initialDelayMs: 50, maxDelayMs: 200, healthyAfterMs: 60_000 });

describe('HelperSupervisor with a fake helper process', () => {
  it('runs the helper, forwards typed events and commands, stops it cleanly', async () => {
    const { supervisor, events, states } = supervise('serve');
    supervisor.start();
    await until(() => supervisor.state.kind === 'running');
    assert.equal(supervisor.send({ name: 'bitrate', kbps: 1234 }), true);
    await until(() => events.some((event) => event.type === 'bitrate'));
    assert.deepEqual(
      events.find((event) => event.type === 'bitrate'),
      { type: 'bitrate', bitrateKbps: 1234, requestedKbps: 1234 },
    );
    await supervisor.stop();
    assert.deepEqual(
      states.map((state) => state.kind),
      ['starting', 'running', 'stopped'],
    );
    assert.deepEqual(events.at(-1), { type: 'bye', reason: 'signal', exitCode: 0 });
  });

  it('restarts a helper that served and keeps dying with growing delays, then keeps it failing, retried at the longest delay, never failed', async () => {
    const { supervisor, states, warnings } = supervise('crash', fastPolicy());
    supervisor.start();
    await until(() => states.filter((state) => state.kind === 'failing').length >= 4, 10_000);
    await supervisor.stop();
    const kinds = states.map((state) => state.kind);
    assert.equal(kinds.filter((kind) => kind === 'restarting').length, 3);
    assert.ok(!kinds.includes('failed'), kinds.join(' '));
    const failing = states.flatMap((state) => (state.kind === 'failing' ? [state] : []));
    assert.deepEqual(
      failing.slice(0, 4).map((state) => [state.failures, state.exit, state.lastExit]),
      [4, 5, 6, 7].map((failures) => [failures, 'code_4', 'exited with code 4']),
    );
    assert.match(warnings[0]!, /video1: helper exited with code 4 after .* restarting in 0.05 s/);
    assert.match(warnings[1]!, /restarting in 0.1 s/);
    assert.match(warnings[2]!, /restarting in 0.2 s/);
    assert.match(
      warnings[3]!,
      /video1: helper exited with code 4 after .*; failing \(4 failures in a row\): it has served, so it is retried every 0.2 s, never given up/,
    );
    assert.match(warnings[4]!, /^video1: helper running again \(pid \d+\) after 4 failures in a row$/);
    assert.match(
      warnings[0]!,
      /a log line on stderr/,
      'without a fatal message, the crash message quotes the helper log',
    );
    assert.equal(supervisor.state.kind, 'stopped');
  });

  it('gives up on a helper that never becomes ready: killed each time, then marked failed, and stays failed', async () => {
    const { supervisor, states, warnings } = supervise('never-ready', fastPolicy(), 200);
    supervisor.start();
    await until(() => supervisor.state.kind === 'failed', 10_000);
    assert.deepEqual(
      states.map((state) => state.kind).filter((kind) => kind !== 'starting'),
      ['restarting', 'restarting', 'restarting', 'failed'],
    );
    assert.match(warnings[0]!, /did not become ready in time/);
    assert.match(
      warnings.at(-1)!,
      /giving up \(4 failures in a row without ever getting ready, the last after a 0.2 s wait: helper exited with code 0 \(not ready in time\)\)/,
    );
    const failed = states.at(-1);
    assert.deepEqual(failed?.kind === 'failed' && [failed.exit, failed.lastExit], ['code_0', 'exited with code 0']);
    await supervisor.stop();
    assert.equal(supervisor.state.kind, 'failed', 'a failed stream stays visibly failed');
  });

  it('names a crash on one line: the signal, the request being served and its client, the assertion in the log', async () => {
    const { supervisor, states, warnings, events } = supervise('abort', fastPolicy());
    supervisor.start();
    await until(() => supervisor.state.kind === 'restarting');
    await supervisor.stop();
    const assertion =
      "GStreamer-RTSP-Server:ERROR:../gst/rtsp-server/rtsp-client.c:1169:get_data_seq: 'data_seq' should not be NULL";
    assert.equal(
      warnings[0],
      `video1: helper was killed by SIGABRT after ${/after (\d+\.\d) s/.exec(warnings[0]!)?.[1]} s, serving SETUP "rtsp://127.0.0.1:20700/video1/stream=0" ` +
        `(Transport "RTP/AVP;unicast;client_port=40100-40101") from 127.0.0.1:34070, its log said ${JSON.stringify(assertion)}; restarting in 0.05 s`,
    );
    const restarting = states.find((state) => state.kind === 'restarting');
    assert.deepEqual(restarting?.kind === 'restarting' && { ...restarting, retryAtMs: 0 }, {
      kind: 'restarting',
      retryAtMs: 0,
      exit: 'SIGABRT',
      lastExit: 'was killed by SIGABRT',
      fatalMessage: assertion,
      request: {
        serving: true,
        clientId: 1,
        address: '127.0.0.1',
        port: 34070,
        method: 'SETUP',
        url: 'rtsp://127.0.0.1:20700/video1/stream=0',
        transport: 'RTP/AVP;unicast;client_port=40100-40101',
      },
    });
    assert.equal(events.at(-1)?.type, 'crash', 'the crash record reaches the metrics as well');
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

/** An in-process helper for mocked timers: run N (from 1) says `ready` at once and exits with code 4 after `lifeMs(N)`. */
function servingSpawn(lifeMs: (run: number) => number): SpawnHelper {
  let run = 0;
  return (_args, callbacks) => {
    run += 1;
    const life = lifeMs(run);
    setTimeout(
      () =>
        callbacks.onEvent({
          type: 'ready',
          host: '127.0.0.1',
          port: 1,
          mount: '/video1',
          url: 'rtsp://127.0.0.1:1/video1',
        }),
      0,
    );
    const exited = new Promise<HelperExit>((resolve) =>
      setTimeout(() => resolve({ exitCode: 4, durationMs: life }), life),
    );
    return { pid: run, exited, send: () => false, kill: () => {}, terminate: () => exited };
  };
}

describe('HelperSupervisor: restart pacing and the watchdog', () => {
  it('waits 0.5, 1, 2, 4, 8, 16, 30 s between starts of a helper that always fails, then marks it failed', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
    let nowMs = 0;
    const spawned = { count: 0 };
    const states: StreamState[] = [];
    const supervisor = new HelperSupervisor({
      helper,
      args: [],
      spawn: instantCrashSpawn(spawned),
      now: () => nowMs,
      onEvent: () => {},
      onStateChange: (state) => states.push(state),
      onWarning: () => {},
      onBadLine: () => {},
    });
    made.push(supervisor);
    supervisor.start();
    const flush = async () => {
      for (let i = 0; i < 5; i += 1) await Promise.resolve();
    };
    await flush();
    // Advance virtual time in 100 ms steps for 5 minutes: a spinning supervisor would spawn thousands of times.
    for (let step = 0; step < 3_000 && supervisor.state.kind !== 'failed'; step += 1) {
      nowMs += 100;
      t.mock.timers.tick(100);
      await flush();
    }
    const delays = states.flatMap((state, i) =>
      state.kind === 'restarting' ? [state.retryAtMs - restartedAt(states, i)] : [],
    );
    assert.deepEqual(delays, [500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000]);
    assert.equal(supervisor.state.kind, 'failed');
    assert.equal(spawned.count, 8, 'one start, seven restarts, no more');
    assert.ok(nowMs >= 61_500 && nowMs < 62_000, `gave up after ${nowMs} ms of virtual time`);
    await supervisor.stop();
  });

  it('keeps a helper that served and then always dies failing, retried every 30 s for as long as it fails, until a healthy run starts the delays over', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
    let nowMs = 0;
    /** Each end's state and its wait before the next start. */
    const downs: Array<{ kind: string; waitMs: number; failures?: number }> = [];
    const states: StreamState[] = [];
    // Every run gets ready and lasts a second, but the 21st lasts a minute: a healthy run.
    const spawn = servingSpawn((run) => (run === 21 ? 61_000 : 1_000));
    const supervisor = new HelperSupervisor({
      helper,
      args: [],
      spawn,
      now: () => nowMs,
      onEvent: () => {},
      onStateChange: (state) => {
        states.push(state);
        if (state.kind === 'restarting') downs.push({ kind: state.kind, waitMs: state.retryAtMs - nowMs });
        if (state.kind === 'failing')
          downs.push({ kind: state.kind, waitMs: state.retryAtMs - nowMs, failures: state.failures });
      },
      onWarning: () => {},
      onBadLine: () => {},
    });
    made.push(supervisor);
    supervisor.start();
    const flush = async () => {
      for (let i = 0; i < 5; i += 1) await Promise.resolve();
    };
    // Virtual time in 100 ms steps until the 22nd end: 20 short runs, the healthy one, one more short one.
    for (let step = 0; step < 100_000 && downs.length < 22; step += 1) {
      nowMs += 100;
      t.mock.timers.tick(100);
      await flush();
    }
    assert.deepEqual(
      downs.slice(0, 7),
      [500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000].map((waitMs) => ({ kind: 'restarting', waitMs })),
    );
    assert.deepEqual(
      downs.slice(7, 20),
      Array.from({ length: 13 }, (_, i) => ({ kind: 'failing', waitMs: 30_000, failures: i + 8 })),
      'failing from the 8th end on, retried every 30 s',
    );
    assert.deepEqual(
      downs.slice(20),
      [
        { kind: 'restarting', waitMs: 500 },
        { kind: 'restarting', waitMs: 1_000 },
      ],
      'the end of the healthy 21st run started the delays over',
    );
    assert.ok(!states.some((state) => state.kind === 'failed'));
    await supervisor.stop();
  });

  it('SIGKILLs a helper that stops sending frames to a playing viewer while its main loop beats, and restarts it', async () => {
    const { supervisor, states, warnings } = supervise('play', fastPolicy(), undefined, 600);
    supervisor.start();
    await until(() => supervisor.state.kind === 'running');
    const first = supervisor.state.kind === 'running' ? supervisor.state.pid! : 0;
    await sleep(1_000);
    assert.equal(supervisor.state.kind, 'running', 'frames every 40 ms keep the watchdog quiet');
    // Frames only: a SIGSTOP would silence the heartbeats too, and which silence is seen first would be a race.
    process.kill(first, 'SIGUSR2');
    const stoppedAt = Date.now();
    await until(() => supervisor.state.kind === 'running' && supervisor.state.pid !== first, 5_000);
    const took = Date.now() - stoppedAt;
    // Not before the watchdog's 0.6 s of silence; how soon after is the machine's (until's bound).
    assert.ok(took >= 600, `detected and restarted after ${took} ms`);
    const restarting = states.find((state) => state.kind === 'restarting');
    assert.deepEqual(restarting && restarting.kind === 'restarting' && [restarting.lastExit, restarting.reason], [
      'was killed by SIGKILL',
      'watchdog: no frames for 0.6 s',
    ]);
    assert.ok(
      warnings.some((w) => /watchdog: no frames for 0.6 s; killing the helper \(pid \d+\) with SIGKILL/.test(w)),
      warnings.join('\n'),
    );
    assert.throws(() => process.kill(first, 0), /ESRCH/, 'the hung helper is gone');
    await supervisor.stop();
  });

  it('leaves an idle helper alone while it beats, and restarts it once it hangs (SIGSTOP)', async () => {
    const { supervisor, states } = supervise('serve', fastPolicy(), undefined, 600);
    supervisor.start();
    await until(() => supervisor.state.kind === 'running');
    const first = supervisor.state.kind === 'running' ? supervisor.state.pid! : 0;
    await sleep(1_000);
    assert.deepEqual(
      states.map((state) => state.kind),
      ['starting', 'running'],
      'heartbeats every 100 ms keep the watchdog quiet',
    );
    process.kill(first, 'SIGSTOP');
    await until(() => supervisor.state.kind === 'running' && supervisor.state.pid !== first, 5_000);
    const restarting = states.find((state) => state.kind === 'restarting');
    assert.deepEqual(restarting && restarting.kind === 'restarting' && [restarting.lastExit, restarting.reason], [
      'was killed by SIGKILL',
      'watchdog: no heartbeat for 0.6 s',
    ]);
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
  const previous = states
    .slice(0, index)
    .reverse()
    .find((state) => state.kind === 'restarting');
  return previous?.kind === 'restarting' ? previous.retryAtMs : 0;
}
