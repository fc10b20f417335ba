// A run's metrics: metrics.ndjson (header first, then records as they happen), one recorder per
// stream, and summary.json at the end.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordedOptions, type ServeOptions } from '../config/options.ts';
import type { FrontDoorCounters } from '../front-door/server.ts';
import type { HttpCounters } from '../http/counters.ts';
import { parseGstLogLine } from '../helper/gst-log.ts';
import { openNdjsonWriter, type NdjsonWriter } from '../metrics/ndjson-writer.ts';
import { StreamRecorder, type RunClock } from '../metrics/stream-recorder.ts';
import { snakeCaseKeys } from '../metrics/snake-case.ts';
import type { StreamSpec } from '../streams/plan.ts';
import type { Log } from '../ui/log.ts';
import { round } from '../metrics/round.ts';

export const METRICS_VERSION = 2;

/** Records of a door's counters, each without a stream. */
type CountersRecord = 'front_door' | 'http';

function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** ms since now on the helpers' clock (CLOCK_MONOTONIC, as process.hrtime). */
function monotonicRunClock(): RunClock {
  const startUs = monotonicUs();
  return { fromMonotonicUs: (us) => (us - startUs) / 1000, nowMs: () => (monotonicUs() - startUs) / 1000 };
}

export class RunMetrics {
  readonly runDir: string;
  readonly recorders: Map<string, StreamRecorder>;
  readonly #writer: NdjsonWriter;
  readonly clock: RunClock;
  readonly #startedAt: Date;
  readonly #log: Log;
  /** By record type, the sum of the counters last written: they only grow, so a changed sum is a changed counter. */
  readonly #countersTotal = new Map<CountersRecord, number>();

  /** `clock` defaults to the monotonic clock from now; a benchmark may replay simulated time. */
  constructor(
    runDir: string,
    options: ServeOptions,
    streams: readonly StreamSpec[],
    log: Log,
    clock: RunClock = monotonicRunClock(),
  ) {
    this.runDir = runDir;
    this.#startedAt = new Date();
    this.#log = log;
    this.clock = clock;
    this.#writer = openNdjsonWriter(join(runDir, 'metrics.ndjson'), { onError: (error) => log.error(error.message) });
    this.#writer.append({
      type: 'header',
      version: METRICS_VERSION,
      started_at: this.#startedAt.toISOString(),
      options: recordedOptions(options),
      // A live source's URI only masked (`file`).
      streams: streams.map(({ uri: _secret, ...stream }) => stream),
    });
    this.recorders = new Map(
      streams.map((stream) => [stream.name, new StreamRecorder(stream, this.#writer, this.clock)]),
    );
  }

  /** A GStreamer log line from a helper's stderr: warnings and errors are kept. */
  recordLog(stream: string, line: string): void {
    const entry = parseGstLogLine(line);
    if (entry.kind === 'gst' && entry.level !== 'ERROR' && entry.level !== 'WARNING') return;
    const fields =
      entry.kind === 'gst'
        ? { level: entry.level, category: entry.category, message: entry.message }
        : { level: 'OTHER', message: entry.text };
    this.#writer.append({ type: 'log', stream, t_ms: round(this.clock.nowMs(), 1), ...fields });
  }

  /** The front door's or the HTTP side's counters since it started (snake_case keys), when they changed since the last call. */
  recordCounters(type: 'front_door', counters: FrontDoorCounters): void;
  recordCounters(type: 'http', counters: HttpCounters): void;
  recordCounters(type: CountersRecord, counters: FrontDoorCounters | HttpCounters): void {
    // Every field of either counters type is a number (Object.values of an interface gives any[]).
    const total = (Object.values(counters) as number[]).reduce((sum, count) => sum + count, 0);
    if (total === this.#countersTotal.get(type)) return;
    this.#countersTotal.set(type, total);
    this.#writer.append({
      type,
      t_ms: round(this.clock.nowMs(), 1),
      ...(snakeCaseKeys(counters) as Record<string, number>),
    });
  }

  /** A fault the supervisor itself noticed (watchdog, removed file): a `log` record of category `supervisor`. */
  recordSupervisorWarning(stream: string, message: string): void {
    this.#writer.append({
      type: 'log',
      stream,
      t_ms: round(this.clock.nowMs(), 1),
      level: 'WARNING',
      category: 'supervisor',
      message,
    });
  }

  elapsedS(): number {
    return this.clock.nowMs() / 1000;
  }

  /** Ends metrics.ndjson and writes summary.json. */
  close(): void {
    for (const recorder of this.recorders.values()) recorder.flush();
    this.#writer.append({ type: 'end', t_ms: round(this.clock.nowMs(), 1) });
    this.#writer.close();
    const summary = {
      version: METRICS_VERSION,
      started_at: this.#startedAt.toISOString(),
      duration_s: round(this.elapsedS(), 1),
      streams: [...this.recorders.values()].map((recorder) => recorder.summary()),
    };
    const path = join(this.runDir, 'summary.json');
    try {
      writeFileSync(path, `${JSON.stringify(snakeCaseKeys(summary), null, 2)}\n`);
    } catch (error) {
      this.#log.error(`could not write ${path}: ${(error as Error).message}`);
    }
  }
}
