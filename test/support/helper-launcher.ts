// Starts real helper binaries (native/rtsp-helper) on the ports it is given, one after another,
// reads their records, and stops them: the shared part of the tests that talk to a helper directly.
import assert from 'node:assert/strict';
import { execa, type ResultPromise } from 'execa';
import { HELPER_BINARY } from '../../src/helper/binary.ts';
import { readHelperRecords, type HelperRecords } from './rtsp-clients.ts';

export const MOUNT = '/video1';

export interface Helper {
  process: ResultPromise<{ stdin: 'pipe'; reject: false }>;
  records: HelperRecords;
  url: string;
  port: number;
  send(line: string): void;
}

export interface StartOptions {
  /** false: return at once, without waiting for `ready`. */
  waitReady?: boolean;
  /** Added to the environment. */
  env?: Record<string, string>;
}

export class HelperLauncher {
  readonly #ports: readonly number[];
  #next = 0;
  readonly started: Helper[] = [];

  /** `ports`: the test file's own (test/support/ports.ts); taken in turn, from the first again after the last. */
  constructor(ports: readonly number[]) {
    if (ports.length === 0) throw new RangeError('HelperLauncher: no ports to start helpers on');
    this.#ports = ports;
  }

  /** The port the next helper will get. */
  get nextPort(): number {
    return this.#ports[this.#next % this.#ports.length]!;
  }

  /** Starts a helper on a fresh port and waits for `ready` unless `waitReady` is false; `env` adds to the environment. */
  async start(file: string, extraArgs: readonly string[] = [], options: StartOptions = {}): Promise<Helper> {
    return this.#spawn(['--file', file], extraArgs, options);
  }

  /** A helper pulling the live source at `uri` (given in the environment, as the supervisor does). */
  async startLive(uri: string, extraArgs: readonly string[] = [], options: StartOptions = {}): Promise<Helper> {
    return this.#spawn(['--live'], extraArgs, { ...options, env: { ...options.env, RTSP_HELPER_URI: uri } });
  }

  async #spawn(
    sourceArgs: readonly string[],
    extraArgs: readonly string[],
    { waitReady = true, env = {} }: StartOptions,
  ): Promise<Helper> {
    const port = this.nextPort;
    this.#next += 1;
    const child = execa(HELPER_BINARY, [...sourceArgs, '--mount', MOUNT, '--port', String(port), ...extraArgs], {
      stdin: 'pipe',
      reject: false,
      env,
    });
    assert.ok(child.stdout, 'the helper has a stdout pipe');
    const helper: Helper = {
      process: child,
      records: readHelperRecords(child.stdout),
      url: `rtsp://127.0.0.1:${port}${MOUNT}`,
      port,
      send: (line) => child.stdin?.write(`${line}\n`),
    };
    this.started.push(helper);
    if (waitReady) await helper.records.waitForRecord('ready');
    return helper;
  }

  killAll(): void {
    for (const helper of this.started) helper.process.kill('SIGKILL');
  }
}

/** Sends `quit`: the helper exits 0, every stdout line was a record, `bye` last. */
export async function quitHelper(helper: Helper): Promise<void> {
  helper.send('quit');
  const result = await helper.process;
  assert.equal(result.exitCode, 0, result.stderr);
  assert.deepEqual(helper.records.malformed, []);
  assert.deepEqual(helper.records.records.at(-1), { type: 'bye', reason: 'quit', exitCode: 0 });
}
