// One probe run: start the decoding client, read the stamp of each picture it hands over, time it
// against the server's clock, score it against the reference frame of the same number, write a
// record per frame, and summarise when the time is up, the stream ends or the caller stops it.
import { writeFileSync } from 'node:fs';
import { execa } from 'execa';
import { openNdjsonWriter } from '../metrics/ndjson-writer.ts';
import { round } from '../metrics/round.ts';
import { readStamp } from '../stamp/stamp-code.ts';
import { terminateStaged } from '../supervisor/terminate.ts';
import { clientCommand } from './client-command.ts';
import type { DecodedFrame } from './decoded-frame.ts';
import { FrameLedger } from './frame-ledger.ts';
import { psnrDb, ssim } from './quality.ts';
import { loadReference } from './reference.ts';
import { referenceStampProblem, streamStampProblem } from './reference-check.ts';
import { StallDetector } from './stalls.ts';
import {
  ProbeTally,
  summarise,
  type FrameScore,
  type ProbeClientKind,
  type ProbeSummary,
  type ProbeTransport,
} from './summary.ts';

export interface ProbeOptions {
  url: string;
  client: ProbeClientKind;
  transport: ProbeTransport;
  /** Stop after this long; undefined: when the stream ends or `signal` aborts. */
  seconds?: number;
  /** The clip the server serves (a stamped one), for SSIM and PSNR. */
  reference?: string;
  /** Score every Nth decoded frame against the reference (1: all); SSIM and PSNR cost ~3 ms a
   *  frame at 640x480 (docs/benchmarks.md). */
  scoreEvery?: number;
  /** One record per decoded frame goes here. */
  framesPath: string;
  /** Run the client inside this network namespace (benches). */
  netns?: string;
  signal?: AbortSignal;
  /** Called with a line for the person watching (errors writing the frame records). */
  warn?: (line: string) => void;
}

export class ProbeError extends Error {
  override name = 'ProbeError';
}

export interface FrameRecord {
  type: 'frame';
  /** Decoded at, ms since the Unix epoch. */
  decoded_unix_ms: number;
  /** Since the probe started, s. */
  t_s: number;
  stamp?: number;
  source?: number;
  stamp_inferred?: true;
  repeated: boolean;
  e2e_ms?: number;
  ssim?: number;
  psnr_db?: number;
  stall_ms?: number;
}

const STDERR_TAIL = 2_000;

/** Frames scored per turn of the event loop: reading the client's output must not wait long, or
 *  its writes block and delay its decoding. */
const SCORE_BATCH = 4;

export async function runProbe(options: ProbeOptions): Promise<ProbeSummary> {
  // Before the stream starts: decoding the clip takes a core for a second or more.
  let reference = options.reference !== undefined ? await loadReference(options.reference) : undefined;
  const startedMs = Date.now();
  const command = clientCommand(options.client, options.url, options.transport, options.netns);
  const child = execa(command.file, command.args, {
    reject: false,
    stdin: 'ignore',
    buffer: false,
    encoding: 'buffer',
  });
  let stderrTail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-STDERR_TAIL);
  });
  writeFileSync(options.framesPath, '');
  const writer = openNdjsonWriter(options.framesPath, {
    onError: (error) => options.warn?.(`frame records: ${error.message}; recording stopped`),
  });

  const queue: DecodedFrame[] = [];
  let size: { width: number; height: number } | undefined;
  /** A reload at the stream's picture size, when it differs from the clip's. */
  let referenceLoad: Promise<void> | undefined;
  let draining = false;
  let failure: Error | undefined;
  let ledger: FrameLedger | undefined;
  const stalls = new StallDetector(startedMs);
  const tally = new ProbeTally();
  /** Why the reference is not the served clip, once known: nothing more is scored against it. */
  let referenceProblem: string | undefined;
  const rejectReference = (problem: string | undefined): void => {
    if (problem === undefined || referenceProblem !== undefined) return;
    referenceProblem = `--reference ${options.reference}: ${problem}; SSIM and PSNR are not scored`;
    options.warn?.(referenceProblem);
  };
  if (reference !== undefined) rejectReference(referenceStampProblem(reference.frames));

  const score = (frame: DecodedFrame): void => {
    ledger ??= new FrameLedger(reference?.frames.length, reference?.frameMs);
    const identity = ledger.identify(readStamp(frame.luma, frame.width, frame.height), frame.ptsMs);
    const result: FrameScore = {};
    if (frame.serverMs !== undefined) result.e2eMs = frame.decodedMs - frame.serverMs;
    if (identity.stamp !== undefined && reference !== undefined)
      rejectReference(streamStampProblem(identity.stamp, reference.frames.length));
    const referenceFrame =
      identity.stamp !== undefined && referenceProblem === undefined
        ? reference?.frames[identity.stamp % reference.frames.length]
        : undefined;
    const scoreThis = (ledger.counts().decoded - 1) % (options.scoreEvery ?? 1) === 0;
    if (
      scoreThis &&
      referenceFrame !== undefined &&
      referenceFrame.width === frame.width &&
      referenceFrame.height === frame.height
    ) {
      result.ssim = ssim(frame, referenceFrame);
      result.psnrDb = psnrDb(frame, referenceFrame);
    }
    tally.add(result);
    const stall = identity.repeated ? undefined : stalls.frameShown(frame.decodedMs);
    const record: FrameRecord = {
      type: 'frame',
      decoded_unix_ms: round(frame.decodedMs, 1),
      t_s: round((frame.decodedMs - startedMs) / 1000, 3),
      ...(identity.stamp !== undefined ? { stamp: identity.stamp, source: identity.source! } : {}),
      ...(identity.inferred ? { stamp_inferred: true as const } : {}),
      repeated: identity.repeated,
      ...(result.e2eMs !== undefined ? { e2e_ms: round(result.e2eMs, 2) } : {}),
      ...(result.ssim !== undefined ? { ssim: round(result.ssim, 4), psnr_db: round(result.psnrDb!, 2) } : {}),
      ...(stall !== undefined ? { stall_ms: round(stall.durationMs, 1) } : {}),
    };
    writer.append(record);
  };

  const drainBatch = (): void => {
    draining = false;
    if (referenceLoad !== undefined) return;
    for (let i = 0; i < SCORE_BATCH; i += 1) {
      const frame = queue.shift();
      if (frame === undefined) return;
      score(frame);
    }
    drain();
  };
  const drain = (): void => {
    if (draining || queue.length === 0) return;
    draining = true;
    setImmediate(drainBatch);
  };

  child.stdout?.on('data', (chunk: Buffer) => {
    if (failure !== undefined) return;
    try {
      for (const frame of command.parser.push(chunk, Date.now())) {
        if (size === undefined) {
          size = { width: frame.width, height: frame.height };
          const scaled = size;
          if (
            reference !== undefined &&
            (reference.frames[0]!.width !== scaled.width || reference.frames[0]!.height !== scaled.height)
          ) {
            referenceLoad = loadReference(reference.file, scaled).then(
              (loaded) => {
                reference = loaded;
                referenceLoad = undefined;
                drain();
              },
              (error: Error) => {
                failure = error;
                child.kill('SIGTERM');
              },
            );
          }
        }
        queue.push(frame);
      }
      drain();
    } catch (error) {
      failure = error as Error;
      child.kill('SIGTERM');
    }
  });

  let endedBy = 'the stream ended';
  /** When we asked the client to stop: the gap while it winds down is not the stream's. */
  let stoppedMs: number | undefined;
  const stop = (reason: string): void => {
    endedBy = reason;
    stoppedMs ??= Date.now();
    if (child.exitCode === null && child.signalCode === null)
      void terminateStaged({ kill: (signal) => child.kill(signal), exited: child });
  };
  const timer =
    options.seconds !== undefined
      ? setTimeout(() => stop(`${options.seconds} s were up`), options.seconds * 1000)
      : undefined;
  const onAbort = () => stop('stopped');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();

  const exit = await child;
  const endedMs = stoppedMs ?? Date.now();
  clearTimeout(timer);
  options.signal?.removeEventListener('abort', onAbort);
  await referenceLoad;
  if (failure === undefined) for (let frame = queue.shift(); frame !== undefined; frame = queue.shift()) score(frame);
  writer.close();
  if (failure !== undefined) throw new ProbeError(`probe of ${options.url}: ${failure.message}`);
  if (stoppedMs === undefined && exit.exitCode !== 0) {
    const how = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.exitCode}`;
    endedBy = `${options.client === 'ffmpeg' ? 'FFmpeg' : 'probe-reader'} failed (${how}): ${stderrTail.trim().split('\n').slice(-2).join(' | ') || 'no message'}`;
  }
  stalls.end(endedMs);
  return summarise({
    url: options.url,
    client: options.client,
    transport: options.transport,
    startedMs,
    endedMs,
    endedBy,
    size,
    counts: (ledger ?? new FrameLedger()).counts(),
    tally,
    stalls: stalls.stalls,
    ...(options.reference === undefined
      ? { noReference: 'no --reference clip was given' }
      : referenceProblem !== undefined
        ? { noReference: referenceProblem }
        : {}),
  });
}
