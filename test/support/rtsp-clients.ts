// Real RTSP clients (FFmpeg, GStreamer) with typed results, and a reader for the helper's
// JSON-lines records. Clients report facts (frames decoded, sizes, exit codes); tests judge.
import type { Readable } from 'node:stream';
import { execa } from 'execa';
import type { HelperEvent, HelperEventType } from '../../src/helper/events.ts';
import { parseHelperLine } from '../../src/helper/protocol.ts';

export type ViewerTransport = 'udp' | 'tcp';

export interface ReceivedPacket {
  /** Presentation time in seconds, from the stream's first packet. */
  ptsS: number;
  bytes: number;
}

export interface FfmpegResult {
  /** undefined when the client was killed (see timedOut). */
  exitCode: number | undefined;
  timedOut: boolean;
  /** Video frames the decoder produced. */
  frames: number;
  /** Their timestamps (the stream's, unrounded), s from its first packet: the stretch of stream they cover. */
  framePtsS: number[];
  /** Codec of the received stream, e.g. 'h264'. */
  codec: string | undefined;
  /** Size of the decoded frames. */
  width: number | undefined;
  height: number | undefined;
  /** Video packets as received, from the first keyframe on. */
  packets: ReceivedPacket[];
  stderr: string;
}

export type FfmpegOptions = {
  url: string;
  /** FFmpeg's own choice when absent: UDP first, TCP after a 461. */
  transport: ViewerTransport | undefined;
  /** Kill deadline; defaults to the requested seconds + 15, or 15 s for a frame count. */
  timeoutS?: number;
  /** false: receive only (stream copy), so that `frames` counts what arrived, whatever the CPU left for decoding. */
  decode?: boolean;
} & ({ seconds: number; frames?: undefined } | { frames: number; seconds?: undefined });

interface Framecrc {
  header: Map<string, string>;
  /** Columns of each frame/packet line: stream, dts, pts, duration, size, hash (, side data). */
  rows: string[][];
}

/** FFmpeg's framecrc muxer: `#key 0: value` headers, then one CSV line per frame or packet. */
function parseFramecrc(text: string): Framecrc {
  const header = new Map<string, string>();
  const rows: string[][] = [];
  for (const line of text.split('\n')) {
    const headerMatch = /^#([a-z_]+) 0: (.*)$/.exec(line);
    if (headerMatch?.[1] !== undefined && headerMatch[2] !== undefined)
      header.set(headerMatch[1], headerMatch[2].trim());
    else if (/^0,/.test(line)) rows.push(line.split(',').map((field) => field.trim()));
  }
  return { header, rows };
}

function dimensions(header: Map<string, string>): { width: number | undefined; height: number | undefined } {
  const match = /^(\d+)x(\d+)$/.exec(header.get('dimensions') ?? '');
  return match ? { width: Number(match[1]), height: Number(match[2]) } : { width: undefined, height: undefined };
}

function packetsOf(copy: Framecrc): ReceivedPacket[] {
  const timeBase = /^(\d+)\/(\d+)$/.exec(copy.header.get('tb') ?? '');
  if (!timeBase) return [];
  const seconds = Number(timeBase[1]) / Number(timeBase[2]);
  return copy.rows.map((row) => ({ ptsS: Number(row[2]) * seconds, bytes: Number(row[4]) }));
}

/** GStreamer's clock time as `last-message` prints it, `H:MM:SS.nnnnnnnnn`, in s. */
function clockTimeS(text: string): number | undefined {
  const match = /^(\d+):(\d\d):(\d\d\.\d+)$/.exec(text);
  return match ? Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]) : undefined;
}

/**
 * Plays `url` with ffmpeg and decodes its first video stream, for `seconds` of stream time or
 * until `frames` frames are decoded. Two framecrc outputs give machine-readable facts: the
 * decoded frames (count, size) on stdout, and a stream copy (codec, packet sizes) on fd 3.
 */
export async function countFramesWithFfmpeg(options: FfmpegOptions): Promise<FfmpegResult> {
  const limit = options.frames !== undefined ? ['-frames:v', String(options.frames)] : ['-t', String(options.seconds)];
  const timeoutS = options.timeoutS ?? (options.seconds ?? 0) + 15;
  const decode = options.decode ?? true;
  const result = await execa(
    'ffmpeg',
    [
      '-nostdin',
      '-hide_banner',
      '-v',
      'error',
      ...(options.transport ? ['-rtsp_transport', options.transport] : []),
      '-i',
      options.url,
      // Every decoded frame, on the stream's own timestamps: by default FFmpeg's output to framecrc
      // drops a frame whose timestamp, in 1/fps units, equals the one before (as two frames a busy
      // server released late, together, are) and rounds the rest to whole frame periods.
      ...(decode
        ? ['-map', '0:v:0', ...limit, '-fps_mode', 'passthrough', '-enc_time_base', '-1', '-f', 'framecrc', 'pipe:1']
        : []),
      '-map',
      '0:v:0',
      ...limit,
      '-c:v',
      'copy',
      '-f',
      'framecrc',
      'pipe:3',
    ],
    { reject: false, timeout: timeoutS * 1000, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] },
  );
  const copied = parseFramecrc(String(result.stdio[3] ?? ''));
  const decoded = decode ? parseFramecrc(result.stdout) : copied;
  return {
    exitCode: result.exitCode,
    timedOut: result.timedOut,
    frames: decoded.rows.length,
    framePtsS: packetsOf(decoded).map((packet) => packet.ptsS),
    codec: copied.header.get('codec_id'),
    ...dimensions(decoded.header),
    packets: packetsOf(copied),
    stderr: result.stderr,
  };
}

export interface GstreamerResult {
  /** 0 also after rtspsrc's own shutdown race (see `shutdownRace`). */
  exitCode: number | undefined;
  timedOut: boolean;
  /** Frames avdec_h264 decoded. */
  frames: number;
  /** Their timestamps (rtspsrc's, from the RTP timestamps), s: the stretch of stream they cover. */
  framePtsS: number[];
  stderr: string;
  /**
   * rtspsrc 1.22 sends PAUSE as the pipeline stops and, racing it, cancels its own connection to
   * close it: the write fails ("Operation was cancelled" at GST_DEBUG=3), is reported as "Could
   * not send message. (Received end-of-file)", and gst-launch exits 1. The server saw nothing
   * wrong; when that error, and only it, came after our interrupt, the run counts as clean.
   */
  shutdownRace: boolean;
}

const PAUSE_SEND_FAILED = /gst_rtspsrc_(try_send|pause) \(\): .*\n\s*Could not send message\. \(Received end-of-file\)/;

function isShutdownRace(stderr: string, errorsBeforeInterrupt: number): boolean {
  if (errorsBeforeInterrupt > 0) return false;
  const errors = stderr.split(/\n(?=ERROR: )/).filter((block) => block.startsWith('ERROR: '));
  return errors.length > 0 && errors.every((block) => PAUSE_SEND_FAILED.test(block));
}

export interface GstreamerOptions {
  url: string;
  /** Wall-clock play time, then an interrupt (EOS, clean exit); with `until`, the longest. */
  seconds: number;
  /** Checked every 250 ms: once true, the play ends as at `seconds` (what it waits for came, no need to wait on). */
  until?: () => boolean;
  /** rtspsrc's choice (UDP, then TCP) when absent. */
  transport?: ViewerTransport;
  /** Run the client inside this network namespace (`ip netns exec`). */
  netns?: string;
  /** rtspsrc's user-id and user-pw: unlike credentials in the URL, they survive a redirect. */
  credentials?: { user: string; password: string };
}

/**
 * Plays `url` with `rtspsrc ! rtph264depay ! avdec_h264 ! fakesink` for `seconds`, then
 * interrupts it (gst-launch -e turns that into EOS and exits 0). Frames are counted from
 * fakesink's per-buffer `last-message` notifications (-v).
 */
export async function playWithGstreamer(options: GstreamerOptions): Promise<GstreamerResult> {
  const protocols = options.transport ? [`protocols=${options.transport}`] : [];
  const credentials = options.credentials
    ? [`user-id=${options.credentials.user}`, `user-pw=${options.credentials.password}`]
    : [];
  const command = options.netns ? ['ip', 'netns', 'exec', options.netns, 'gst-launch-1.0'] : ['gst-launch-1.0'];
  const child = execa(
    command[0]!,
    [
      ...command.slice(1),
      '-e',
      '-v',
      'rtspsrc',
      `location=${options.url}`,
      ...protocols,
      ...credentials,
      '!',
      'rtph264depay',
      '!',
      'avdec_h264',
      '!',
      'fakesink',
      'name=frames',
      'silent=false',
      'sync=false',
    ],
    { reject: false, timeout: (options.seconds + 10) * 1000 },
  );
  let interrupted = false;
  let errorsBeforeInterrupt = 0;
  child.stderr?.on('data', (chunk: Buffer) => {
    if (!interrupted) errorsBeforeInterrupt += chunk.toString().match(/^ERROR: /gm)?.length ?? 0;
  });
  const stop = (): void => {
    if (interrupted) return;
    interrupted = true;
    child.kill('SIGINT');
  };
  const interrupt = setTimeout(stop, options.seconds * 1000);
  const until = options.until;
  const poll = until ? setInterval(() => until() && stop(), 250) : undefined;
  const result = await child;
  clearTimeout(interrupt);
  clearInterval(poll);
  const chains = result.stdout.split('\n').filter((line) => line.includes('GstFakeSink:frames: last-message = chain'));
  const framePtsS = chains.flatMap((line) => {
    const pts = clockTimeS(/ pts: ([\d:.]+),/.exec(line)?.[1] ?? '');
    return pts === undefined ? [] : [pts];
  });
  const shutdownRace = result.exitCode === 1 && interrupted && isShutdownRace(result.stderr, errorsBeforeInterrupt);
  return {
    exitCode: shutdownRace ? 0 : result.exitCode,
    timedOut: result.timedOut,
    frames: chains.length,
    framePtsS,
    stderr: result.stderr,
    shutdownRace,
  };
}

export interface RecordWaitOptions<T extends HelperEventType> {
  /** Only records at this index or later (see HelperRecords.count). */
  from?: number;
  match?: (record: Extract<HelperEvent, { type: T }>) => boolean;
  timeoutMs?: number;
}

/** Everything a helper wrote on stdout, parsed with the supervisor's own parser. */
export interface HelperRecords {
  readonly records: readonly HelperEvent[];
  /** Lines that are not valid records: a helper must write none. */
  readonly malformed: readonly string[];
  /** Records so far: a `from` for waiting on what comes next. */
  count(): number;
  waitForRecord<T extends HelperEventType>(
    type: T,
    options?: RecordWaitOptions<T>,
  ): Promise<Extract<HelperEvent, { type: T }>>;
}

/** Reads JSON-lines records from a helper's stdout as they arrive. */
export function readHelperRecords(stdout: Readable): HelperRecords {
  const records: HelperEvent[] = [];
  const malformed: string[] = [];
  const waiters = new Set<() => void>();
  let ended = false;
  let pending = '';

  const notify = (): void => {
    for (const waiter of waiters) waiter();
  };
  stdout.setEncoding('utf8');
  stdout.on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const parsed = parseHelperLine(line);
      if (parsed.ok) records.push(parsed.event);
      else malformed.push(line);
    }
    notify();
  });
  stdout.on('close', () => {
    ended = true;
    if (pending !== '') malformed.push(pending);
    notify();
  });

  return {
    records,
    malformed,
    count: () => records.length,
    waitForRecord(type, { from = 0, match = () => true, timeoutMs = 10_000 } = {}) {
      type Wanted = Extract<HelperEvent, { type: typeof type }>;
      const find = (): Wanted | undefined =>
        records.slice(from).find((record): record is Wanted => record.type === type && match(record as Wanted));
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const found = find();
          if (found === undefined && !ended) return;
          waiters.delete(check);
          clearTimeout(timer);
          if (found !== undefined) resolve(found);
          else reject(new Error(`stdout ended without a ${type} record; got ${JSON.stringify(records)}`));
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${type} record within ${timeoutMs} ms; got ${JSON.stringify(records)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}
