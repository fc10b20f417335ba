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

import { constants as fsConstants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { execa } from 'execa';

export const DEFAULT_PROBE_TIMEOUT_MS = 15_000;
export const DEFAULT_PROBE_CONCURRENCY = 4;
const DISCOVERER = 'gst-discoverer-1.0';

export interface VideoInfo {
  ok: true;
  path: string;
  width: number;
  height: number;
  /** frames per second; undefined when the file declares none (variable rate) */
  fps: number | undefined;
  /** undefined when GStreamer cannot tell the length */
  durationS: number | undefined;
  /** media type of the video stream, e.g. `video/x-h264` */
  codec: string;
}

export type ProbeFailureCode =
  | 'not-found'
  | 'directory'
  | 'not-regular-file'
  | 'not-readable'
  | 'no-video-stream'
  | 'still-image'
  | 'missing-plugin'
  | 'not-decodable'
  | 'timeout';

export interface ProbeFailure {
  ok: false;
  path: string;
  code: ProbeFailureCode;
  /** one line for people, without the path: `${path}: ${reason}` reads well */
  reason: string;
  exitCode?: number;
  signal?: string;
}

export type ProbeResult = VideoInfo | ProbeFailure;

export interface ProbeOptions {
  /** kill the probe after this long; default 15 s */
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

// ---------------------------------------------------------------------------------------------
// Discoverer output, parsed at the edge into typed values

export type DiscovererStreamType = 'video' | 'audio' | 'subtitles' | 'container' | 'unknown';

export interface DiscoveredStream {
  type: DiscovererStreamType;
  image: boolean;
  /** caps media type with -v (`video/x-h264`), or the description without -v (`H.264`) */
  codec: string;
  width?: number;
  height?: number;
  /** [numerator, denominator] as printed, e.g. [30000, 1001] */
  frameRate?: [number, number];
}

export interface DiscovererReport {
  result: 'ok' | 'error' | 'missing-plugins' | 'timeout' | 'uri-invalid' | 'busy' | 'unrecognized';
  /** the error line after "An error was encountered ..." */
  error?: string;
  /** descriptions of missing plugins, e.g. `H.264 (High Profile) decoder` */
  missingPlugins?: string[];
  /** whether the missing plugins include something other than an audio decoder */
  missingBeyondAudio?: boolean;
  durationS?: number;
  seekable?: boolean;
  streams: DiscoveredStream[];
}

const STREAM_HEADER = /^(video|audio|subtitles|container|unknown)(\(image\))? #\d+: (.*)$/;

export function parseDiscovererOutput(text: string): DiscovererReport {
  const report: DiscovererReport = { result: 'unrecognized', streams: [] };
  const lines = text.split('\n');
  let current: DiscoveredStream | undefined;
  let skipDeeperThan: number | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').replace(/\r$/, '');
    const trimmed = line.trim();
    const indent = line.length - line.trimStart().length;
    if (skipDeeperThan !== undefined) {
      if (trimmed === '' || indent > skipDeeperThan) continue;
      skipDeeperThan = undefined;
    }
    if (trimmed === '') continue;
    if (indent === 0) {
      if (line.startsWith('Done discovering ')) report.result = 'ok';
      else if (line === 'An error was encountered while discovering the file') {
        report.result = 'error';
        report.error = (lines[i + 1] ?? '').trim();
        i++;
      } else if (line === 'Missing plugins') {
        report.result = 'missing-plugins';
        report.missingPlugins = [];
        report.missingBeyondAudio = false;
        while ((lines[i + 1] ?? '').startsWith(' (')) {
          const detail = (lines[++i] ?? '').trim().replace(/^\(|\)$/g, '');
          const fields = detail.split('|');
          report.missingPlugins.push(fields[3] ?? detail);
          if (!(fields[4] ?? '').startsWith('decoder-audio/')) report.missingBeyondAudio = true;
        }
      } else if (line === 'Analyzing URI timed out') report.result = 'timeout';
      else if (line === 'URI is not valid') report.result = 'uri-invalid';
      else if (line === 'Discoverer was busy') report.result = 'busy';
      continue;
    }
    if (trimmed === 'Tags:' || trimmed === 'Codec:') {
      skipDeeperThan = indent;
      continue;
    }
    const header = STREAM_HEADER.exec(trimmed);
    if (header) {
      const description = header[3] ?? '';
      const mediaType = /^[\w.+-]+\/[\w.+-]+/.exec(description)?.[0];
      current = {
        type: header[1] as DiscovererStreamType,
        image: header[2] !== undefined,
        codec: mediaType ?? description,
        ...sizeFromCaps(description),
      };
      report.streams.push(current);
      continue;
    }
    const colon = trimmed.indexOf(': ');
    if (colon < 0) continue;
    const key = trimmed.slice(0, colon);
    const value = trimmed.slice(colon + 2).trim();
    if (current === undefined) {
      if (key === 'Duration') report.durationS = parseClockTime(value);
      else if (key === 'Seekable') report.seekable = value === 'yes';
      continue;
    }
    if (key === 'Width') current.width = parseNatural(value) ?? current.width;
    else if (key === 'Height') current.height = parseNatural(value) ?? current.height;
    else if (key === 'Frame rate') current.frameRate = parseFraction(value) ?? current.frameRate;
  }
  return report;
}

function sizeFromCaps(caps: string): Pick<DiscoveredStream, 'width' | 'height'> {
  const width = parseNatural(/\bwidth=\(int\)(\d+)/.exec(caps)?.[1] ?? '');
  const height = parseNatural(/\bheight=\(int\)(\d+)/.exec(caps)?.[1] ?? '');
  return { ...(width !== undefined ? { width } : {}), ...(height !== undefined ? { height } : {}) };
}

function parseNatural(text: string): number | undefined {
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

function parseFraction(text: string): [number, number] | undefined {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/** `0:00:10.000000000` → 10; GST_CLOCK_TIME_NONE (`99:99:99.999999999`) → undefined. */
export function parseClockTime(text: string): number | undefined {
  const match = /^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(text);
  if (!match || text.startsWith('99:99:99')) return undefined;
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
}

// ---------------------------------------------------------------------------------------------
// From facts to a verdict (pure)

export function interpretDiscovery(path: string, report: DiscovererReport): ProbeResult {
  const fail = (code: ProbeFailureCode, reason: string): ProbeFailure => ({ ok: false, path, code, reason });
  switch (report.result) {
    case 'error':
      return classifyDiscovererError(path, report.error ?? '');
    case 'timeout':
      return fail('timeout', 'GStreamer gave up analysing it (discoverer timeout)');
    case 'uri-invalid':
      return fail('not-found', 'GStreamer could not turn the path into a valid URI');
    case 'busy':
    case 'unrecognized':
      return fail('not-decodable', `${DISCOVERER} printed no report GStreamer could be trusted with`);
    case 'missing-plugins':
      if (report.missingBeyondAudio !== false || !report.streams.some((s) => s.type === 'video')) {
        return fail(
          'missing-plugin',
          `GStreamer lacks a plugin to play it: ${(report.missingPlugins ?? []).join('; ') || 'unknown'}`,
        );
      }
      break; // only an audio decoder is missing: the video is still usable
    case 'ok':
      break;
  }
  const video = report.streams.find((s) => s.type === 'video' && !s.image);
  if (video === undefined) {
    if (report.streams.some((s) => s.type === 'video')) return fail('still-image', 'is a still image, not a video');
    const kinds = [...new Set(report.streams.filter((s) => s.type !== 'container').map((s) => s.type))];
    return fail('no-video-stream', kinds.length > 0 ? `has no video stream (only ${kinds.join(', ')})` : 'has no video stream');
  }
  if (video.width === undefined || video.height === undefined || video.width === 0 || video.height === 0) {
    return fail('not-decodable', `its video stream (${video.codec}) has no known frame size`);
  }
  const [num, den] = video.frameRate ?? [0, 0];
  return {
    ok: true,
    path,
    width: video.width,
    height: video.height,
    fps: num > 0 && den > 0 ? num / den : undefined,
    durationS: report.durationS,
    codec: video.codec,
  };
}

function classifyDiscovererError(path: string, message: string): ProbeFailure {
  const fail = (code: ProbeFailureCode, reason: string): ProbeFailure => ({ ok: false, path, code, reason });
  const quoted = message === '' ? '' : ` (GStreamer: ${message})`;
  if (/Resource not found/i.test(message)) return fail('not-found', `does not exist${quoted}`);
  if (/for reading|Permission denied/i.test(message)) return fail('not-readable', `cannot be read${quoted}`);
  if (/Could not determine type of stream/i.test(message)) {
    return fail('not-decodable', `is not a media file GStreamer recognises${quoted}`);
  }
  if (/no playable streams/i.test(message)) {
    return fail('not-decodable', `has no playable stream: corrupt or truncated?${quoted}`);
  }
  if (/enough data/i.test(message)) return fail('not-decodable', `holds too little data: empty or truncated?${quoted}`);
  return fail('not-decodable', `cannot be decoded${quoted}`);
}

/** Maps a stat/access error to a verdict (root passes every permission check, so tests use this). */
export function classifyFsError(path: string, error: NodeJS.ErrnoException): ProbeFailure {
  const fail = (code: ProbeFailureCode, reason: string): ProbeFailure => ({ ok: false, path, code, reason });
  switch (error.code) {
    case 'ENOENT':
      return fail('not-found', 'does not exist');
    case 'ENOTDIR':
      return fail('not-found', 'does not exist (a parent in the path is not a folder)');
    case 'ELOOP':
      return fail('not-found', 'cannot be reached (symbolic link loop)');
    case 'EACCES':
    case 'EPERM':
      return fail('not-readable', `is not readable (permission denied, ${error.code})`);
    default:
      return fail('not-readable', `cannot be accessed (${error.code ?? error.message})`);
  }
}

interface StatLike {
  isFile(): boolean;
  isDirectory(): boolean;
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSocket(): boolean;
  size: number;
}

export function classifyStats(path: string, stats: StatLike): ProbeFailure | undefined {
  if (stats.isFile()) {
    return stats.size === 0 ? { ok: false, path, code: 'not-decodable', reason: 'is empty (0 bytes)' } : undefined;
  }
  if (stats.isDirectory()) return { ok: false, path, code: 'directory', reason: 'is a directory, not a video file' };
  const kind = stats.isFIFO() ? 'a FIFO (named pipe)'
    : stats.isCharacterDevice() ? 'a character device'
    : stats.isBlockDevice() ? 'a block device'
    : stats.isSocket() ? 'a socket'
    : 'not a regular file';
  return { ok: false, path, code: 'not-regular-file', reason: `is ${kind}, not a regular file` };
}

// ---------------------------------------------------------------------------------------------
// Effects

async function checkFile(path: string): Promise<ProbeFailure | undefined> {
  try {
    const failure = classifyStats(path, await stat(path));
    if (failure) return failure;
    await access(path, fsConstants.R_OK);
    return undefined;
  } catch (error) {
    return classifyFsError(path, error as NodeJS.ErrnoException);
  }
}

export async function probeVideo(path: string, options: ProbeOptions = {}): Promise<ProbeResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const discoverer = options.discoverer ?? DISCOVERER;
  const fileProblem = await checkFile(path);
  if (fileProblem) return fileProblem;

  // Discoverer's own timeout is set past ours so that ours (which kills it) is the one that fires.
  const args = ['-v', '-t', String(Math.ceil(timeoutMs / 1000) + 5), resolve(path)];
  const result = await execa(discoverer, args, {
    reject: false,
    timeout: timeoutMs,
    forceKillAfterDelay: 1000,
    stdin: 'ignore',
    env: { LC_ALL: 'C', LANGUAGE: 'C' },
  });
  if (result.timedOut) {
    return {
      ok: false,
      path,
      code: 'timeout',
      reason: `probe did not finish within ${timeoutMs / 1000} s (${discoverer} was killed)`,
      ...(result.signal ? { signal: result.signal } : {}),
    };
  }
  if (result.failed && result.exitCode === undefined && result.signal === undefined) {
    const how = result.code === 'ENOENT' ? `${discoverer} is not installed (Debian: gstreamer1.0-plugins-base-apps)` : `could not run ${discoverer}: ${result.shortMessage}`;
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
  const results: ProbeResult[] = new Array(paths.length);
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
