// The bench's viewers, one per variant in its client namespace: `npm run probe` (src/probe/cli.ts)
// over rtspsrc or FFmpeg, or Chromium over WHEP (browser.ts). The probe decodes the stream, reads
// each picture's stamp and scores it against the served clip; its per-frame records and summary
// are read at the stop.
import { readFileSync } from 'node:fs';
import { execa } from 'execa';
import {
  PROBE_CLIENTS,
  type ProbeClientKind,
  type ProbeSummary,
  type ProbeTransport,
} from '../../../src/probe/summary.ts';
import type { FrameRecord } from '../../../src/probe/probe.ts';
import { REPO_ROOT } from '../../lib/server.ts';
import type { Transport } from '../options.ts';
import { startBrowserViewer, type BrowserStop } from './browser.ts';
import { keepTail, stopChild, type StopResult } from './child.ts';

export const CLIENT_KINDS = [...PROBE_CLIENTS, 'chromium'] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];

/** Four probes beside two servers on two cores: SSIM on every third frame (10 a second) keeps
 *  each probe's CPU under a fifth of a core (docs/benchmarks.md). */
const SCORE_EVERY = 3;

export interface ProbeStop extends StopResult {
  /** The probe's summary (its --json line); undefined when it printed none. */
  summary: ProbeSummary | undefined;
  /** Its per-frame records, in decoding order. */
  frames: FrameRecord[];
  stderrTail: string;
}

export interface ProbeClient {
  /** Interrupts the probe (it summarises and exits), SIGKILL after 10 s. */
  stop(): Promise<ProbeStop>;
}

/** rtspsrc is held to the pass's transport; FFmpeg's UDP pass is its default (UDP first, TCP on
 *  461), as ffplay does. */
function probeTransport(kind: ProbeClientKind, transport: Transport): ProbeTransport {
  return kind === 'ffmpeg' && transport === 'udp' ? 'auto' : transport;
}

function readFrames(path: string): FrameRecord[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as FrameRecord);
}

function parseSummary(stdout: string): ProbeSummary | undefined {
  const line = stdout.trim().split('\n').at(-1);
  try {
    return line ? (JSON.parse(line) as ProbeSummary) : undefined;
  } catch {
    return undefined;
  }
}

/** Without a reference the probe scores nothing: frames, delay and stalls only, at a third of the CPU. */
export function startProbeClient(
  kind: ProbeClientKind,
  netns: string | undefined,
  url: string,
  transport: Transport,
  files: { reference?: string; framesPath: string },
): ProbeClient {
  const scoring =
    files.reference === undefined ? [] : ['--reference', files.reference, '--score-every', String(SCORE_EVERY)];
  const command = [
    ...(netns === undefined ? [] : ['ip', 'netns', 'exec', netns]),
    process.execPath,
    '--import',
    'tsx',
    'src/probe/cli.ts',
    url,
    '--client',
    kind,
    '--transport',
    probeTransport(kind, transport),
    '--seconds',
    '0',
    ...scoring,
    '--frames',
    files.framesPath,
    '--json',
  ];
  const child = execa(command[0]!, command.slice(1), { cwd: REPO_ROOT, reject: false, stdin: 'ignore' });
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  const stderr = keepTail(child.stderr);
  return {
    stop: async () => {
      const stopped = await stopChild(child, 'SIGINT', 10_000);
      return {
        ...stopped,
        summary: parseSummary(stdout),
        frames: readFrames(files.framesPath),
        stderrTail: stderr.text(),
      };
    },
  };
}

/** What a variant's viewer gives at its stop: a probe's records, or the browser's samples. */
export type ClientStop = ({ kind: 'probe' } & ProbeStop) | ({ kind: 'browser' } & BrowserStop);

export interface BenchClient {
  /** Settles once the viewer plays: a browser's first decoded frame (its page's own files cross
   *  the link before it). A probe's at once: the bench waits for its link to carry the stream. */
  playing: Promise<void>;
  stop(): Promise<ClientStop>;
}

/** Where a variant's viewer plays: the RTSP URL, and the server's dashboard page with the mount for a browser. */
export interface ClientTarget {
  rtspUrl: string;
  /** Absent when the server runs without its HTTP side. */
  pageUrl: string | undefined;
  mount: string;
}

/** The browser plays WebRTC whatever `transport` the pass asks the RTSP clients for. */
export function startClient(
  kind: ClientKind,
  netns: string,
  target: ClientTarget,
  transport: Transport,
  files: { reference?: string; framesPath: string },
): BenchClient {
  if (kind === 'chromium') {
    if (target.pageUrl === undefined)
      throw new TypeError(`startClient: chromium needs the server's page, got none for ${target.rtspUrl}`);
    const browser = startBrowserViewer(netns, target.pageUrl, target.mount);
    return { playing: browser.firstFrame, stop: async () => ({ kind: 'browser', ...(await browser.stop()) }) };
  }
  const probe = startProbeClient(kind, netns, target.rtspUrl, transport, files);
  return { playing: Promise.resolve(), stop: async () => ({ kind: 'probe', ...(await probe.stop()) }) };
}
