// gst-discoverer-1.0's report, parsed at the edge into typed values, and its verdict on a file.
import type { ProbeFailure, ProbeFailureCode, ProbeResult } from './probe-result.ts';

export const DISCOVERER = 'gst-discoverer-1.0';

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
  /** audio, from its caps: `mpegversion` (1: MP1-3, 2 or 4: AAC) */
  mpegVersion?: number;
  channels?: number;
  rate?: number;
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
        ...audioFromCaps(description),
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

function audioFromCaps(caps: string): Pick<DiscoveredStream, 'mpegVersion' | 'channels' | 'rate'> {
  const field = (name: string) => parseNatural(new RegExp(`\\b${name}=\\(int\\)(\\d+)`).exec(caps)?.[1] ?? '');
  const found = { mpegVersion: field('mpegversion'), channels: field('channels'), rate: field('rate') };
  return Object.fromEntries(Object.entries(found).filter(([, value]) => value !== undefined));
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
    return fail(
      'no-video-stream',
      kinds.length > 0 ? `has no video stream (only ${kinds.join(', ')})` : 'has no video stream',
    );
  }
  if (video.width === undefined || video.height === undefined || video.width === 0 || video.height === 0) {
    return fail('not-decodable', `its video stream (${video.codec}) has no known frame size`);
  }
  const [num, den] = video.frameRate ?? [0, 0];
  const audio = report.streams.find((s) => s.type === 'audio');
  return {
    ok: true,
    path,
    width: video.width,
    height: video.height,
    fps: num > 0 && den > 0 ? num / den : undefined,
    durationS: report.durationS,
    codec: video.codec,
    ...(audio && {
      audio: {
        codec: audio.codec,
        ...(audio.mpegVersion !== undefined && { mpegVersion: audio.mpegVersion }),
        ...(audio.channels !== undefined && { channels: audio.channels }),
        ...(audio.rate !== undefined && { rate: audio.rate }),
        // Discoverer names no stream in a missing decoder; only an audio one is missing here.
        decodable: report.result !== 'missing-plugins',
      },
    }),
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
