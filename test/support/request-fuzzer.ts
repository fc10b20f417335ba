// A stateful fuzzer of RTSP request sequences against real helpers: connections that open and
// vanish, sessions taken from SETUP answers and named anywhere (on another connection, at another
// helper), transports of every kind (UDP with good and bad ports, TCP interleaved on any channels,
// multicast, lists of offers, garbage), PLAY/PAUSE/TEARDOWN in any order, interleaved `$` data
// between requests. Every step is kept with placeholders for what only a run knows (the helpers'
// URLs, the session ids they gave), so that a sequence that killed a helper replays as a test.
import { setTimeout as sleep } from 'node:timers/promises';
import { RawRtsp, sessionOf } from './raw-rtsp.ts';

/**
 * `${url:H}`: helper H's first mount; `${url2:H}` its second; `${own:K}`: the Kth session id this
 * connection was given (so a connection's steps replay alone); `${session:N}`: the Nth of the run.
 */
export type FuzzStep = (
  | { kind: 'open'; conn: number; helper: number }
  | { kind: 'close'; conn: number }
  | { kind: 'send'; conn: number; text: string }
  | { kind: 'data'; conn: number; hex: string }
) & {
  /** When it ran, from the start of its run: a replay keeps the gaps between steps (races need them). */
  atMs?: number;
};

/** What a fuzzer needs of each helper: its RTSP port and its two mounts. */
export interface FuzzTarget {
  port: number;
  mounts: readonly [string, string];
}

const MAX_CONNECTIONS = 6;
/** How long a request waits for its answer before the next step goes ahead anyway. */
const ANSWER_WAIT_MS = 400;
/** A replay waits at most this between two steps, however long the run took between them. */
const MAX_REPLAY_GAP_MS = 1_000;

type Random = () => number;

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function weighted<T>(random: Random, table: ReadonlyArray<readonly [T, number]>): T {
  let roll = random() * table.reduce((sum, [, weight]) => sum + weight, 0);
  for (const [item, weight] of table) {
    roll -= weight;
    if (roll < 0) return item;
  }
  return table.at(-1)![0];
}

const int = (random: Random, min: number, max: number): number => min + Math.floor(random() * (max - min + 1));

/**
 * The UDP client ports a fuzzed SETUP names: the helper sends RTP and RTCP there, so they come from
 * the test file's own block (test/support/ports.ts), where no other test listens.
 */
export interface UdpPorts {
  /** Even. */
  first: number;
  /** Pairs from `first` on. */
  pairs: number;
}

function udpTransport(random: Random, udp: UdpPorts): string {
  const port = udp.first + int(random, 0, udp.pairs - 1) * 2;
  const ports = pick(random, [
    `${port}-${port + 1}`,
    `${port}-${port + 1}`,
    `${port}`,
    '0-0',
    '70000-70001',
    `${port + 1}-${port}`,
    'abc-def',
    `${port}-${port + 9}`,
  ]);
  return pick(random, [
    `RTP/AVP;unicast;client_port=${ports}`,
    `RTP/AVP/UDP;unicast;client_port=${ports}`,
    `RTP/AVP;unicast;client_port=${ports};mode=record`,
    `RTP/AVP;unicast;destination=10.1.2.3;client_port=${ports}`,
    `RTP/SAVP;unicast;client_port=${ports}`,
    `RTP/AVPF;unicast;client_port=${ports}`,
  ]);
}

function tcpTransport(random: Random): string {
  const channel = int(random, 0, 127) * 2;
  const channels = pick(random, [
    `${channel}-${channel + 1}`,
    '0-1',
    '2-3',
    `${channel}`,
    '7-7',
    '1-0',
    '254-255',
    '255',
    '300-301',
    '-1',
    '',
  ]);
  return channels === '' ? 'RTP/AVP/TCP;unicast' : `RTP/AVP/TCP;unicast;interleaved=${channels}`;
}

function anyTransport(random: Random, udp: UdpPorts): string {
  return weighted<() => string>(random, [
    [() => udpTransport(random, udp), 4],
    [() => tcpTransport(random), 4],
    [
      () =>
        pick(random, [
          'RTP/AVP;multicast',
          `RTP/AVP;multicast;destination=224.2.3.4;port=${udp.first}-${udp.first + 1};ttl=1`,
          `RTP/AVP;multicast;destination=127.0.0.1;port=${udp.first}-${udp.first + 1}`,
        ]),
      1,
    ],
    [() => `${udpTransport(random, udp)},${tcpTransport(random)}`, 1],
    [() => `${tcpTransport(random)},${udpTransport(random, udp)}`, 1],
    [
      () =>
        pick(random, [
          'garbage',
          'RTP/AVP;unicast',
          ';;;',
          'RTP/AVP/TCP;interleaved=0-1;unicast;ssrc=zzzz',
          'RTP/AVP/TCP;unicast;interleaved=0-1;mode="PLAY,RECORD"',
        ]),
      1,
    ],
  ])();
}

function target(random: Random, helpers: number): string {
  const helper = int(random, 0, helpers - 1);
  return weighted(random, [
    [`\${url:${helper}}`, 4],
    [`\${url2:${helper}}`, 4],
    [`\${url:${helper}}/stream=0`, 6],
    [`\${url2:${helper}}/stream=0`, 6],
    [`\${url:${helper}}/stream=1`, 1],
    [`\${url:${helper}}/stream=0/x`, 1],
    [`\${url:${helper}}/`, 1],
    ['*', 1],
    ['rtsp://127.0.0.1:1/video9', 1],
    ['/video1', 1],
  ]);
}

/**
 * The Session header: mostly one the connection was given (the states a session goes through are
 * where gst-rtsp-server breaks), else anyone's (another connection's or helper's), or junk.
 * `own` and `any`: how many sessions the connection and the run learned so far.
 */
function sessionHeader(random: Random, own: number, any: number): string[] {
  const id =
    own > 0 && random() < 0.8
      ? `\${own:${int(random, 0, own - 1)}}`
      : `\${session:${int(random, 0, Math.max(0, any - 1))}}`;
  return weighted(random, [
    [[], 3],
    [any > 0 ? [`Session: ${id}`] : [], 8],
    [any > 0 ? [`Session: ${id};timeout=5`] : [], 1],
    [[pick(random, ['Session: 12345678', 'Session: ', 'Session: ;;;', `Session: ${'x'.repeat(300)}`])], 1],
  ]);
}

function extraHeaders(random: Random, method: string): string[] {
  if (random() > 0.3) return [];
  const candidates: Record<string, string[]> = {
    PLAY: [
      'Range: npt=0-',
      'Range: npt=5-10',
      'Range: clock=20261207T100000Z-',
      'Range: smpte=0:10:00-',
      'Scale: 2.0',
      'Scale: 0',
      'Scale: -1',
      'Speed: 0',
      'Speed: 4',
      'Seek-Style: RAP',
      'Range: garbage',
    ],
    SETUP: [
      'Blocksize: 1000',
      'Blocksize: 0',
      'Accept-Ranges: npt, clock',
      'KeyMgmt: prot=mikey; uri="x"; data="AAAA"',
      'Require: play.basic',
      'Pipelined-Requests: 7',
    ],
    DESCRIBE: ['Accept: application/sdp', 'Accept: text/plain', 'Require: onvif-replay'],
  };
  return [pick(random, candidates[method] ?? ['X-Fuzz: 1', 'Require: foo', 'Proxy-Require: bar'])];
}

/** An interleaved frame: RTCP-shaped or random bytes, on any channel. */
function interleavedFrame(random: Random): Buffer {
  const channel = pick(random, [0, 1, 2, 3, int(random, 0, 255)]);
  const body =
    random() < 0.5
      ? Buffer.from([0x81, 201, 0, 7, ...Array.from({ length: 28 }, () => int(random, 0, 255))])
      : Buffer.from(Array.from({ length: int(random, 0, 1_400) }, () => int(random, 0, 255)));
  const head = Buffer.from([0x24, channel, body.length >> 8, body.length & 0xff]);
  return Buffer.concat([head, body]);
}

/** One connection of the run: its client, its next CSeq, the session ids it was given. */
interface Connection {
  client: RawRtsp;
  cseq: number;
  sessions: string[];
}

export class RequestFuzzer {
  readonly steps: FuzzStep[] = [];
  readonly #targets: readonly FuzzTarget[];
  readonly #udp: UdpPorts;
  readonly #connections = new Map<number, Connection>();
  readonly #sessions: string[] = [];
  /** Each connection's local port: how a helper's record names it. */
  readonly #localPorts = new Map<number, number>();
  readonly #startMs = performance.now();
  #nextConnection = 0;
  /** Answers seen, by status (0: none in time, or closed). */
  readonly statuses = new Map<number, number>();

  constructor(targets: readonly FuzzTarget[], udp: UdpPorts) {
    if (udp.first % 2 !== 0 || udp.pairs < 1)
      throw new RangeError(`RequestFuzzer: bad UDP ports ${JSON.stringify(udp)}`);
    this.#targets = targets;
    this.#udp = udp;
  }

  /** Generates one step from the run's state so far, and runs it. */
  async step(random: Random): Promise<void> {
    const open = [...this.#connections.keys()];
    const conn = open.length > 0 ? pick(random, open) : -1;
    const kind = weighted<FuzzStep['kind']>(random, [
      ['open', open.length === 0 ? 100 : open.length < MAX_CONNECTIONS ? 2 : 0],
      ['close', open.length > 1 ? 1 : 0],
      ['send', open.length > 0 ? 16 : 0],
      ['data', open.length > 0 ? 2 : 0],
    ]);
    await this.run(this.#generate(random, kind, conn));
  }

  #generate(random: Random, kind: FuzzStep['kind'], conn: number): FuzzStep {
    switch (kind) {
      case 'open':
        return { kind, conn: this.#nextConnection, helper: int(random, 0, this.#targets.length - 1) };
      case 'close':
        return { kind, conn };
      case 'data':
        return {
          kind,
          conn,
          hex: Array.from({ length: int(random, 1, 3) }, () => interleavedFrame(random).toString('hex')).join(''),
        };
      case 'send': {
        const method = weighted(random, [
          ['DESCRIBE', 15],
          ['SETUP', 30],
          ['PLAY', 20],
          ['PAUSE', 8],
          ['TEARDOWN', 10],
          ['GET_PARAMETER', 8],
          ['SET_PARAMETER', 4],
          ['OPTIONS', 5],
        ] as const);
        const lines = [`${method} ${target(random, this.#targets.length)} RTSP/1.0`];
        if (random() > 0.03) lines.push('CSeq: ${cseq}');
        const own = this.#connections.get(conn)?.sessions.length ?? 0;
        if (method !== 'DESCRIBE' && method !== 'OPTIONS')
          lines.push(...sessionHeader(random, own, this.#sessions.length));
        if (method === 'SETUP' && random() > 0.05) lines.push(`Transport: ${anyTransport(random, this.#udp)}`);
        lines.push(...extraHeaders(random, method));
        const body = method === 'SET_PARAMETER' && random() < 0.5 ? 'param: value\r\n' : '';
        if (body !== '') lines.push('Content-Type: text/parameters', `Content-Length: ${body.length}`);
        return { kind, conn, text: `${lines.join('\r\n')}\r\n\r\n${body}` };
      }
    }
  }

  /** Runs saved steps with the gaps they had between them, until `stop()`. */
  async replay(steps: readonly FuzzStep[], stop: () => boolean): Promise<void> {
    let previous: FuzzStep | undefined;
    let previousStartMs = performance.now();
    for (const step of steps) {
      if (stop()) return;
      if (previous?.atMs !== undefined && step.atMs !== undefined) {
        const gapMs = Math.min(MAX_REPLAY_GAP_MS, step.atMs - previous.atMs) - (performance.now() - previousStartMs);
        if (gapMs > 0) await sleep(gapMs);
      }
      previous = step;
      previousStartMs = performance.now();
      await this.run(step);
    }
  }

  /** Runs one step and keeps it, with when it ran. */
  async run(step: FuzzStep): Promise<void> {
    this.steps.push({ ...step, atMs: Math.round(performance.now() - this.#startMs) });
    switch (step.kind) {
      case 'open': {
        const client = await RawRtsp.open(this.#targets[step.helper % this.#targets.length]!.port);
        this.#connections.set(step.conn, { client, cseq: 1, sessions: [] });
        if (client.socket.localPort !== undefined) this.#localPorts.set(client.socket.localPort, step.conn);
        this.#nextConnection = Math.max(this.#nextConnection, step.conn + 1);
        return;
      }
      case 'close':
        this.#connections.get(step.conn)?.client.close();
        this.#connections.delete(step.conn);
        return;
      case 'data':
        this.#connections.get(step.conn)?.client.write(Buffer.from(step.hex, 'hex'));
        return;
      case 'send': {
        const connection = this.#connections.get(step.conn);
        if (connection === undefined) return;
        connection.client.write(this.#resolve(step.text, connection));
        const reply = await connection.client.next(ANSWER_WAIT_MS);
        const session = sessionOf(reply.head);
        if (session !== undefined && !this.#sessions.includes(session)) {
          connection.sessions.push(session);
          this.#sessions.push(session);
        }
        this.statuses.set(reply.status ?? 0, (this.statuses.get(reply.status ?? 0) ?? 0) + 1);
        if (reply.closed) this.#connections.delete(step.conn);
        return;
      }
    }
  }

  #resolve(text: string, connection: Connection): string {
    return text.replace(
      /\$\{(url2?|own|session):(\d+)\}|\$\{cseq\}/g,
      (whole, name: string | undefined, index: string | undefined) => {
        if (name === 'url' || name === 'url2') {
          const target = this.#targets[Number(index) % this.#targets.length]!;
          return `rtsp://127.0.0.1:${target.port}${target.mounts[name === 'url' ? 0 : 1]}`;
        }
        if (name === 'own') return connection.sessions[Number(index)] ?? 'unknown-session';
        if (name === 'session') return this.#sessions[Number(index)] ?? 'unknown-session';
        if (whole === '${cseq}') return String(connection.cseq++);
        return whole;
      },
    );
  }

  /** The connection that had this local port (the `port` of a helper's record about it). */
  connectionAt(localPort: number): number | undefined {
    return this.#localPorts.get(localPort);
  }

  /** Closes every connection the run opened. */
  closeAll(): void {
    for (const { client } of this.#connections.values()) client.close();
    this.#connections.clear();
  }
}
