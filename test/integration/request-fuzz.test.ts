// A stateful fuzzer of request sequences (test/support/request-fuzzer.ts) against two real helpers,
// each with a static and an adaptive mount: no sequence may kill a helper, and afterwards both
// still serve every mount, with their descriptors and heap back where they were. A sequence that
// killed a helper is cut down to the steps it needs (against fresh helpers), saved under
// test/fixtures/request-fuzz/ and replayed by every later run.
//
// ABR_FUZZ_SECONDS (default 30) and ABR_FUZZ_SEED (default 0x21f0) make longer or other runs:
//   ABR_FUZZ_SECONDS=600 ABR_FUZZ_SEED=7 npm test -- test/integration/request-fuzz.test.ts
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { makeClip } from '../support/clips.ts';
import { HelperLauncher, MOUNT, quitHelper, type Helper } from '../support/helper-launcher.ts';
import { countFramesWithFfmpeg } from '../support/rtsp-clients.ts';
import { RequestFuzzer, type FuzzStep } from '../support/request-fuzzer.ts';
import { seededRandom } from '../support/seeded-random.ts';
import { openDescriptors } from '../support/process-files.ts';
import type { HelperEvent } from '../../src/helper/events.ts';
import { lastFatalMessage } from '../../src/helper/fatal-message.ts';
import { portsOf } from '../support/ports.ts';

const PORTS = portsOf(import.meta.url);
/** Where fuzzed SETUPs have the helpers send RTP (up to the first + 98, + 9 for a wide pair): nobody listens there. */
const UDP_PORTS = { first: PORTS.at(100), pairs: 45 };
const ADAPTIVE_MOUNT = '/video2';
const SECONDS = Number(process.env.ABR_FUZZ_SECONDS ?? 30);
const SEED = Number(process.env.ABR_FUZZ_SEED ?? 0x21f0);
const SAVED = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'request-fuzz');
/** Sessions left by the fuzzer's vanished viewers time out after this. */
const SESSION_TIMEOUT_S = 3;
/** A heap back where it was: what the media of a viewer and its caches may leave. */
const HEAP_SLACK_BYTES = 8 * 1024 * 1024;
/** Descriptors a helper may hold beyond its idle count: its log pipes, a lingering TCP client. */
const DESCRIPTOR_SLACK = 4;
/** How long cutting down a sequence that killed a helper may take. */
const MINIMIZE_BUDGET_MS = 180_000;

interface SavedSequence {
  seed: number;
  helpers: number;
  /** What killed the helper: its crash record, or its exit. */
  death: Death;
  /** The assertion or critical message its log ended with (src/helper/fatal-message.ts). */
  fatal?: string;
  steps: FuzzStep[];
}

// Turn by turn: cutting a sequence down starts fresh helpers again and again.
const launcher = new HelperLauncher(PORTS.range(0, 100));
let dir: string;
let clip: string;
let helpers: Helper[];

async function startHelpers(): Promise<Helper[]> {
  const args = [
    '--adaptive-mount',
    ADAPTIVE_MOUNT,
    '--adaptive',
    '--encoders',
    '2',
    '--session-timeout',
    String(SESSION_TIMEOUT_S),
    '--cleanup-interval',
    '1',
  ];
  return [await launcher.start(clip, args), await launcher.start(clip, args)];
}

function dead(helper: Helper): boolean {
  return helper.process.exitCode !== null || helper.process.signalCode !== null;
}

/** Its crash record, when it died of a signal it caught; else how it exited. */
type Death = Extract<HelperEvent, { type: 'crash' }> | { exitCode: number | null; signal: string | null };

function deathOf(helper: Helper): Death {
  return (
    helper.records.records.find((record) => record.type === 'crash') ?? {
      exitCode: helper.process.exitCode,
      signal: helper.process.signalCode,
    }
  );
}

function save(sequence: SavedSequence): string {
  mkdirSync(SAVED, { recursive: true });
  const file = join(SAVED, `seed-${sequence.seed}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(sequence, null, 1)}\n`);
  return file;
}

/** Waits until the helper holds no connection and no session: what the fuzzer left is gone. */
async function idle(helper: Helper): Promise<void> {
  await helper.records.waitForRecord('heartbeat', {
    from: helper.records.count(),
    match: (beat) => beat.connections === 0 && beat.sessions === 0,
    timeoutMs: (SESSION_TIMEOUT_S + 10) * 1000,
  });
}

async function heapInUse(helper: Helper): Promise<number> {
  const from = helper.records.count();
  helper.send('memory');
  return (await helper.records.waitForRecord('memory', { from })).heapInUseBytes;
}

/** Each mount of each helper plays to a real client. */
async function everyMountPlays(): Promise<void> {
  for (const helper of helpers) {
    for (const mount of [MOUNT, ADAPTIVE_MOUNT]) {
      const url = `rtsp://127.0.0.1:${helper.port}${mount}`;
      const played = await countFramesWithFfmpeg({ url, frames: 15, transport: 'tcp', timeoutS: 20 });
      assert.equal(played.frames, 15, `${url}: ${played.stderr}`);
    }
  }
}

function fuzzerOf(targets: readonly Helper[]): RequestFuzzer {
  return new RequestFuzzer(
    targets.map((helper) => ({ port: helper.port, mounts: [MOUNT, ADAPTIVE_MOUNT] as const })),
    UDP_PORTS,
  );
}

/** Replays steps against fresh helpers: what killed one of them, or undefined. */
async function killsFreshHelpers(steps: readonly FuzzStep[]): Promise<Death | undefined> {
  const fresh = await startHelpers();
  const fuzzer = fuzzerOf(fresh);
  try {
    await fuzzer.replay(steps, () => fresh.some(dead));
  } finally {
    fuzzer.closeAll();
  }
  await sleep(500);
  const killed = fresh.find(dead);
  for (const helper of fresh) helper.process.kill('SIGKILL');
  return killed === undefined ? undefined : deathOf(killed);
}

/**
 * Cuts a sequence down to what still kills a fresh helper: first to the steps of the connection
 * whose request the crash record names, when that alone suffices, then by dropping chunks of
 * steps, halving the chunk. A sequence whose replay does not kill (a race it lost) is kept whole.
 */
async function minimize(steps: FuzzStep[], culprit: number | undefined): Promise<FuzzStep[]> {
  const deadline = Date.now() + MINIMIZE_BUDGET_MS;
  const alone = steps.filter((step) => step.conn === culprit);
  if (!(await killsFreshHelpers(steps))) return steps;
  if (alone.length > 0 && (await killsFreshHelpers(alone))) steps = alone;
  for (let chunk = Math.ceil(steps.length / 2); chunk >= 1 && Date.now() < deadline; chunk = Math.floor(chunk / 2)) {
    for (let start = 0; start < steps.length && Date.now() < deadline;) {
      const candidate = [...steps.slice(0, start), ...steps.slice(start + chunk)];
      if (await killsFreshHelpers(candidate)) steps = candidate;
      else start += chunk;
    }
  }
  return steps;
}

async function fuzz(
  run: (fuzzer: RequestFuzzer) => Promise<void>,
  seed: number,
  { cutDown }: { cutDown: boolean },
): Promise<RequestFuzzer> {
  const fuzzer = fuzzerOf(helpers);
  try {
    await run(fuzzer);
  } finally {
    fuzzer.closeAll();
  }
  await sleep(500);
  const killed = helpers.find(dead);
  if (killed !== undefined) {
    const death = deathOf(killed);
    const fatal = lastFatalMessage(String((await killed.process).stderr).split('\n'));
    const port = 'request' in death ? death.request?.port : undefined;
    const steps = cutDown
      ? await minimize(fuzzer.steps, port === undefined ? undefined : fuzzer.connectionAt(port))
      : fuzzer.steps;
    const file = save({ seed, helpers: helpers.length, death, ...(fatal === undefined ? {} : { fatal }), steps });
    assert.fail(
      `a request sequence killed the helper on port ${killed.port} (${JSON.stringify(death)}; its log: ${fatal}); ${steps.length} of its ${fuzzer.steps.length} steps saved as ${file}`,
    );
  }
  return fuzzer;
}

describe('request sequences from a stateful fuzzer', { timeout: (SECONDS + 180) * 1000 }, () => {
  let baseline: Array<{ descriptors: number; heap: number }>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'request-fuzz-'));
    clip = join(dir, 'clip.mp4');
    await makeClip({ path: clip, seconds: 4, pattern: 'ball', width: 320, height: 240, fps: 30 });
    helpers = await startHelpers();
    // Every mount once, so that what a first viewer creates for good is in the baseline.
    await everyMountPlays();
    await Promise.all(helpers.map(idle));
    baseline = await Promise.all(
      helpers.map(async (helper) => ({
        descriptors: openDescriptors(helper.process.pid!),
        heap: await heapInUse(helper),
      })),
    );
  });

  after(async () => {
    for (const helper of helpers ?? []) if (!dead(helper)) await quitHelper(helper);
    launcher.killAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it('replays every saved sequence that once killed a helper, and survives it', async () => {
    const files = readdirSync(SAVED).filter((name) => name.endsWith('.json'));
    for (const name of files) {
      const sequence = JSON.parse(readFileSync(join(SAVED, name), 'utf8')) as SavedSequence;
      await fuzz(
        async (fuzzer) => {
          await fuzzer.replay(sequence.steps, () => helpers.some(dead));
        },
        sequence.seed,
        { cutDown: false },
      );
    }
  });

  it(`survives ${SECONDS} s of seeded sequences (seed ${SEED}), then serves every mount with its descriptors and heap back`, async () => {
    const random = seededRandom(SEED);
    const deadline = Date.now() + SECONDS * 1000;
    const fuzzer = await fuzz(
      async (run) => {
        while (Date.now() < deadline && !helpers.some(dead)) await run.step(random);
      },
      SEED,
      { cutDown: true },
    );
    const answered = [...fuzzer.statuses]
      .filter(([status]) => status >= 200)
      .reduce((sum, [, count]) => sum + count, 0);
    assert.ok(
      answered >= SECONDS * 5,
      `only ${answered} answers in ${SECONDS} s: ${JSON.stringify([...fuzzer.statuses])}`,
    );

    await Promise.all(helpers.map(idle));
    for (const [i, helper] of helpers.entries()) {
      const descriptors = openDescriptors(helper.process.pid!);
      assert.ok(
        descriptors <= baseline[i]!.descriptors + DESCRIPTOR_SLACK,
        `helper ${helper.port}: ${descriptors} descriptors open, ${baseline[i]!.descriptors} before`,
      );
      const heap = await heapInUse(helper);
      assert.ok(
        heap <= baseline[i]!.heap + HEAP_SLACK_BYTES,
        `helper ${helper.port}: heap ${heap} bytes in use, ${baseline[i]!.heap} before`,
      );
    }
    await everyMountPlays();
    for (const helper of helpers) assert.deepEqual(helper.records.malformed, []);
  });
});
