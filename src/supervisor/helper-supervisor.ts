// Keeps one helper alive (a video's mounts): start, watch, restart with backoff, give up, stop.
import type { HelperCommand } from '../helper/commands.ts';
import type { HelperEvent } from '../helper/events.ts';
import type { ParsedLine } from '../helper/protocol.ts';
import type { HelperSpec, StreamSpec } from '../streams/plan.ts';
import { describeExit, type HelperExit, type HelperProcess, type SpawnHelper } from './helper-process.ts';
import { RestartPolicy } from './restart-policy.ts';
import { DEFAULT_WATCHDOG_SILENCE_MS, HelperWatchdog } from './watchdog.ts';

export type StreamState =
  | { kind: 'starting'; attempt: number }
  | { kind: 'running'; sinceMs: number; pid: number | undefined }
  | { kind: 'restarting'; retryAtMs: number; lastExit: string; reason?: string }
  | { kind: 'failed'; reason: string }
  | { kind: 'stopped' };

/** A mount as the rest of the run sees it: its helper's state is its own. */
export interface MountStatus {
  readonly stream: StreamSpec;
  readonly state: StreamState;
}

export interface HelperSupervisorOptions {
  helper: HelperSpec;
  args: readonly string[];
  spawn: SpawnHelper;
  onEvent(event: HelperEvent): void;
  onStateChange(state: StreamState): void;
  onWarning(message: string): void;
  /** A stdout line that is not a valid record: counted, never fatal. */
  onBadLine(failure: Extract<ParsedLine, { ok: false }>): void;
  /** Each line the helper writes to stderr (GStreamer's log). */
  onStderrLine?(line: string): void;
  policy?: RestartPolicy;
  /** A helper that has not said `ready` by then is killed and counted as a failure. */
  readyTimeoutMs?: number;
  /** A running helper that stays silent this long (see watchdog.ts) is SIGKILLed and restarted. */
  watchdogSilenceMs?: number;
  now?: () => number;
}

const STDERR_TAIL_LINES = 20;
const WATCHDOG_CHECK_MS = 500;

export class HelperSupervisor {
  readonly helper: HelperSpec;
  readonly #options: HelperSupervisorOptions;
  readonly #policy: RestartPolicy;
  readonly #now: () => number;
  #state: StreamState = { kind: 'stopped' };
  #helper: HelperProcess | undefined;
  #startedAtMs = 0;
  #attempt = 0;
  #retryTimer: NodeJS.Timeout | undefined;
  #readyTimer: NodeJS.Timeout | undefined;
  #watchdogTimer: NodeJS.Timeout | undefined;
  #watchdog: HelperWatchdog | undefined;
  /** Why the supervisor itself killed the current helper, for the restart record. */
  #killReason: string | undefined;
  #stopping = false;
  #stderrTail: string[] = [];

  constructor(options: HelperSupervisorOptions) {
    this.helper = options.helper;
    this.#options = options;
    this.#policy = options.policy ?? new RestartPolicy();
    this.#now = options.now ?? Date.now;
  }

  get state(): StreamState {
    return this.#state;
  }

  start(): void {
    this.#stopping = false;
    this.#launch();
  }

  send(command: HelperCommand): boolean {
    return this.#state.kind === 'running' && this.#helper !== undefined && this.#helper.send(command);
  }

  /** Stops the helper (SIGTERM, then SIGKILL after the grace period) and any pending restart. */
  async stop(graceMs?: number): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#readyTimer);
    clearInterval(this.#watchdogTimer);
    const helper = this.#helper;
    if (helper) await helper.terminate(graceMs);
    if (this.#state.kind !== 'failed') this.#setState({ kind: 'stopped' });
  }

  #launch(): void {
    this.#attempt += 1;
    this.#stderrTail = [];
    this.#killReason = undefined;
    this.#setState({ kind: 'starting', attempt: this.#attempt });
    this.#startedAtMs = this.#now();
    const helper = this.#options.spawn(this.#options.args, {
      onEvent: (event) => this.#onEvent(helper, event),
      onBadLine: (failure) => this.#options.onBadLine(failure),
      onStderrLine: (line) => {
        this.#options.onStderrLine?.(line);
        this.#stderrTail.push(line);
        if (this.#stderrTail.length > STDERR_TAIL_LINES) this.#stderrTail.shift();
      },
    });
    this.#helper = helper;
    this.#readyTimer = setTimeout(() => {
      this.#options.onWarning(`${this.helper.name}: helper did not become ready in time; killing it`);
      this.#killReason = 'not ready in time';
      void helper.terminate(1_000);
    }, this.#options.readyTimeoutMs ?? 15_000);
    void helper.exited.then((exit) => this.#onExit(helper, exit));
  }

  #onEvent(helper: HelperProcess, event: HelperEvent): void {
    if (helper !== this.#helper) return;
    if (event.type === 'ready') {
      clearTimeout(this.#readyTimer);
      this.#setState({ kind: 'running', sinceMs: this.#now(), pid: helper.pid });
      this.#startWatchdog(helper);
    }
    this.#watchdog?.onEvent(event, this.#now());
    this.#options.onEvent(event);
  }

  #startWatchdog(helper: HelperProcess): void {
    const watchdog = new HelperWatchdog(this.#now(), this.#options.watchdogSilenceMs ?? DEFAULT_WATCHDOG_SILENCE_MS);
    this.#watchdog = watchdog;
    clearInterval(this.#watchdogTimer);
    this.#watchdogTimer = setInterval(() => {
      const reason = watchdog.check(this.#now());
      if (reason === undefined || helper !== this.#helper || this.#killReason !== undefined) return;
      this.#killReason = reason;
      clearInterval(this.#watchdogTimer);
      this.#options.onWarning(`${this.helper.name}: ${reason}; killing the helper (pid ${helper.pid}) with SIGKILL`);
      helper.kill('SIGKILL');
    }, WATCHDOG_CHECK_MS);
  }

  #onExit(helper: HelperProcess, exit: HelperExit): void {
    if (helper !== this.#helper) return;
    clearTimeout(this.#readyTimer);
    clearInterval(this.#watchdogTimer);
    this.#watchdog = undefined;
    this.#helper = undefined;
    if (this.#stopping) return;
    const uptimeMs = this.#now() - this.#startedAtMs;
    const what = `${this.helper.name}: helper ${describeExit(exit)} after ${(uptimeMs / 1000).toFixed(1)} s`;
    const tail = this.#stderrTail.length > 0 ? `\n  last log lines:\n    ${this.#stderrTail.join('\n    ')}` : '';
    const killReason = this.#killReason;
    const decision = this.#policy.onFailure(uptimeMs);
    switch (decision.action) {
      case 'restart':
        this.#options.onWarning(`${what}${killReason ? ` (${killReason})` : ''}; restarting in ${decision.delayMs / 1000} s${tail}`);
        this.#setState({
          kind: 'restarting',
          retryAtMs: this.#now() + decision.delayMs,
          lastExit: describeExit(exit),
          ...(killReason ? { reason: killReason } : {}),
        });
        this.#retryTimer = setTimeout(() => this.#launch(), decision.delayMs);
        return;
      case 'give-up': {
        const last = `helper ${describeExit(exit)}${killReason ? ` (${killReason})` : ''}`;
        const reason = `${decision.failures} failures in a row, the last after a ${decision.lastDelayMs / 1000} s wait: ${last}`;
        this.#options.onWarning(`${what}; giving up (${reason})${tail}`);
        this.#setState({ kind: 'failed', reason });
        return;
      }
    }
  }

  #setState(state: StreamState): void {
    this.#state = state;
    this.#options.onStateChange(state);
  }
}
