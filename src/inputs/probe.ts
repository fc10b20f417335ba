// Tells whether a file is a video the server can stream, and its size, frame rate and length.
//
// Why gst-discoverer-1.0: the helper decodes with GStreamer's decodebin, so GStreamer's own
// verdict is the one that matters (ffprobe may accept what our decoders cannot, and the other
// way round). Discoverer runs typefind, the demuxer and the parsers, checks a decoder exists and
// prints what it found. Its report layout is fixed English (g_print in tools/gst-discoverer.c);
// only the error text comes from GStreamer's translations, so we run it with LC_ALL=C. The parser
// reads only a few keyed lines, skips the free-text Tags and Codec blocks by indentation, and
// treats anything it does not recognise as a failure that quotes the output, never as success.
// A hand-built gst-launch pipeline would need its own typefind/decodebin logic and would report
// caps only through more text meant for people, so it is not more robust.
//
// File-system problems (missing, directory, device, unreadable) are found with stat/access first:
// they need no child process, and a FIFO would block discoverer forever.

import { resolve } from 'node:path';
import { execa } from 'execa';
import { DISCOVERER, interpretDiscovery, parseDiscovererOutput } from './discoverer-output.ts';
import { checkFile } from './file-checks.ts';
import type { ProbeResult } from './probe-result.ts';

export type { ProbeFailure, ProbeFailureCode, ProbeResult, VideoInfo } from './probe-result.ts';

export const DEFAULT_PROBE_TIMEOUT_MS = 15_000;
export const DEFAULT_PROBE_CONCURRENCY = 4;

export interface ProbeOptions {
  /** kill the probe after this long; default 15 s. A probe that times out is tried once more. */
  timeoutMs?: number;
  /** the discoverer binary; tests swap in a fake */
  discoverer?: string;
}

/** The probe tool itself is missing or unusable: not a fact about the file. */
export class ProbeToolError extends Error {
  override name = 'ProbeToolError';
  constructor(
    message: string,
    readonly command: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

export async function probeVideo(path: string, options: ProbeOptions = {}): Promise<ProbeResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const discoverer = options.discoverer ?? DISCOVERER;
  const fileProblem = await checkFile(path);
  if (fileProblem) return fileProblem;

  // Discoverer's own timeout is set past ours so that ours (which kills it) is the one that fires.
  const args = ['-v', '-t', String(Math.ceil(timeoutMs / 1000) + 5), resolve(path)];
  const run = () =>
    execa(discoverer, args, {
      reject: false,
      timeout: timeoutMs,
      forceKillAfterDelay: 1000,
      stdin: 'ignore',
      env: { LC_ALL: 'C', LANGUAGE: 'C' },
    });
  // gst-discoverer 1.22 once hung on a 2-KB truncated MP4 it reads in 20 ms (one run in several
  // hundred, two test files running): a second try tells such a hang from a file that is slow.
  let result = await run();
  if (result.timedOut) result = await run();
  if (result.timedOut) {
    return {
      ok: false,
      path,
      code: 'timeout',
      reason: `probe did not finish within ${timeoutMs / 1000} s, twice (${discoverer} was killed)`,
      ...(result.signal ? { signal: result.signal } : {}),
    };
  }
  if (result.failed && result.exitCode === undefined && result.signal === undefined) {
    const how =
      result.code === 'ENOENT'
        ? `${discoverer} is not installed (Debian: gstreamer1.0-plugins-base-apps)`
        : `could not run ${discoverer}: ${result.shortMessage}`;
    throw new ProbeToolError(how, result.escapedCommand, result.cause);
  }
  if (result.exitCode !== 0) {
    const stderrTail = String(result.stderr).trim().split('\n').slice(-3).join(' | ');
    const how = result.signal ? `was killed by ${result.signal}` : `exited with code ${result.exitCode}`;
    return {
      ok: false,
      path,
      code: 'not-decodable',
      reason: `${discoverer} ${how} while analysing it${stderrTail ? `: ${stderrTail}` : ''}`,
      ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}),
      ...(result.signal ? { signal: result.signal } : {}),
    };
  }
  return interpretDiscovery(path, parseDiscovererOutput(String(result.stdout)));
}

/** Probes every path, at most `concurrency` at a time; results in the order of `paths`. */
export async function probeVideos(
  paths: readonly string[],
  options: ProbeOptions & { concurrency?: number } = {},
): Promise<ProbeResult[]> {
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_PROBE_CONCURRENCY);
  const results = new Array<ProbeResult>(paths.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < paths.length) {
      const index = next++;
      results[index] = await probeVideo(paths[index] as string, options);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, paths.length) }, worker));
  return results;
}
