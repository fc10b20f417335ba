// Keeps one helper alive (a video's mounts): start, watch, restart with backoff, keep retrying one
// that fails after it has served, give up on one that never got ready, stop.
import type { HelperCommand } from '../helper/commands.ts';
import type { HelperEvent } from '../helper/events.ts';
import type { ParsedLine } from '../helper/protocol.ts';
import type { HelperSpec, StreamSpec } from '../streams/plan.ts';
import { failureText, helperFailure, type HelperFailure } from './helper-failure.ts';
import type { HelperExit, HelperProcess, SpawnHelper } from './helper-process.ts';
import { RestartPolicy } from './restart-policy.ts';
import { DEFAULT_WATCHDOG_SILENCE_MS, HelperWatchdog } from './watchdog.ts';

/** `restarting`, `failing` and `failed` carry the facts of the helper's last end. */
export type StreamState =
  | { kind: 'starting'; attempt: number }
  | { kind: 'running'; sinceMs: number; pid: number | undefined }
  | ({ kind: 'restarting'; retryAtMs: number } & HelperFailure)
  /** It failed again after the longest wait, having served before: retried at that wait until a healthy run. */
  | ({ kind: 'failing'; retryAtMs: number; failures: number } & HelperFailure)
  /** Given up (it never got ready); `reason` says after how many failures and how the last one ended. */
  | ({ kind: 'failed'; reason: string } & Omit<HelperFailure, 'reason'>)
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
  /** Failures in a row when the last one left the stream failing; undefined otherwise. */
  #failingFor: number | undefined;
  #stopping = false;
  #stderrTail: string[] = [];
  /** The current helper's crash record, when it wrote one. */
  #crash: Extract<HelperEvent, { type: 'crash' }> | undefined;
  /** The current helper's last error record before it got ready. */
  #startError: Extract<HelperEvent, { type: 'error' }> | undefined;
  #ready = false;

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
    this.#crash = undefined;
    this.#startError = undefined;
    this.#ready = false;
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
      this.#ready = true;
      this.#policy.onReady();
      this.#setState({ kind: 'running', sinceMs: this.#now(), pid: helper.pid });
      if (this.#failingFor !== undefined) {
        this.#options.onWarning(
          `${this.helper.name}: helper running again (pid ${helper.pid}) after ${this.#failingFor} failures in a row`,
        );
        this.#failingFor = undefined;
      }
      this.#startWatchdog(helper);
    }
    if (event.type === 'crash') this.#crash = event;
    if (event.type === 'error' && !this.#ready) this.#startError = event;
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
    const failure = helperFailure(exit, {
      killReason: this.#killReason,
      startError: this.#startError,
      crash: this.#crash,
      stderrTail: this.#stderrTail,
    });
    const what = `${this.helper.name}: ${failureText(failure, uptimeMs)}`;
    // The log's last lines follow only when nothing else tells why: a crash repeated on purpose
    // stays one line each (its whole log is in metrics.ndjson's `log` records).
    const evidence = failure.fatalMessage ?? failure.request ?? failure.startError;
    const tail =
      evidence === undefined && this.#stderrTail.length > 0
        ? `\n  last log lines:\n    ${this.#stderrTail.join('\n    ')}`
        : '';
    const decision = this.#policy.onFailure(uptimeMs);
    this.#failingFor = decision.action === 'failing' ? decision.failures : undefined;
    switch (decision.action) {
      case 'restart':
        this.#options.onWarning(`${what}; restarting in ${decision.delayMs / 1000} s${tail}`);
        this.#setState({ kind: 'restarting', retryAtMs: this.#now() + decision.delayMs, ...failure });
        this.#retryTimer = setTimeout(() => this.#launch(), decision.delayMs);
        return;
      case 'failing':
        this.#options.onWarning(
          `${what}; failing (${decision.failures} failures in a row): it has served, so it is retried every ${decision.delayMs / 1000} s, never given up${tail}`,
        );
        this.#setState({
          kind: 'failing',
          retryAtMs: this.#now() + decision.delayMs,
          failures: decision.failures,
          ...failure,
        });
        this.#retryTimer = setTimeout(() => this.#launch(), decision.delayMs);
        return;
      case 'give-up': {
        const { reason: killReason, ...facts } = failure;
        const last = `helper ${failure.lastExit}${killReason === undefined ? '' : ` (${killReason})`}`;
        const reason = `${decision.failures} failures in a row without ever getting ready, the last after a ${decision.lastDelayMs / 1000} s wait: ${last}`;
        this.#options.onWarning(`${what}; giving up (${reason})${tail}`);
        this.#setState({ kind: 'failed', ...facts, reason });
        return;
      }
    }
  }

  #setState(state: StreamState): void {
    this.#state = state;
    this.#options.onStateChange(state);
  }
}
