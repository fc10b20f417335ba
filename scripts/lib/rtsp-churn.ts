// Churn for load benchmarks: short-lived RTSP viewers over TCP (the front door's redirect unless
// they go to a helper directly, DESCRIBE, SETUP interleaved, PLAY, about a second of data), leaving
// with TEARDOWN or by dropping the connection, each outcome counted.
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ChurnCounts {
  attempts: number;
  played: number;
  teardowns: number;
  drops: number;
  refused: Record<string, number>;
  errors: number;
}

interface Response {
  status: number;
  headers: Map<string, string>;
  body: string;
}

/** Sends RTSP requests on one connection; skips interleaved `$` data, counting its bytes. */
function rtspConnection(host: string, port: number, sockets: Set<Socket>) {
  const socket = connect(port, host);
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
  let buffer = Buffer.alloc(0);
  let dataBytes = 0;
  let waiting: ((response: Response) => void) | undefined;
  let failed: ((error: Error) => void) | undefined;
  socket.on('error', (error) => failed?.(error));
  socket.on('close', () => failed?.(new Error('connection closed')));
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      if (buffer.length > 0 && buffer[0] === 0x24) {
        if (buffer.length < 4) return;
        const length = buffer.readUInt16BE(2);
        if (buffer.length < 4 + length) return;
        dataBytes += length;
        buffer = buffer.subarray(4 + length);
        continue;
      }
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [statusLine, ...headerLines] = buffer.subarray(0, end).toString().split('\r\n');
      const headers = new Map(
        headerLines.map((line) => [
          line.slice(0, line.indexOf(':')).trim().toLowerCase(),
          line.slice(line.indexOf(':') + 1).trim(),
        ]),
      );
      const bodyLength = Number(headers.get('content-length') ?? 0);
      if (buffer.length < end + 4 + bodyLength) return;
      const body = buffer.subarray(end + 4, end + 4 + bodyLength).toString();
      buffer = buffer.subarray(end + 4 + bodyLength);
      const resolve = waiting;
      waiting = undefined;
      failed = undefined;
      resolve?.({ status: Number(statusLine?.split(' ')[1]), headers, body });
    }
  });
  let cseq = 0;
  return {
    socket,
    dataBytes: () => dataBytes,
    request(method: string, url: string, extra: Record<string, string> = {}): Promise<Response> {
      cseq += 1;
      const lines = [
        `${method} ${url} RTSP/1.0`,
        `CSeq: ${cseq}`,
        'User-Agent: bench-load',
        ...Object.entries(extra).map(([k, v]) => `${k}: ${v}`),
      ];
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
      return new Promise<Response>((resolve, reject) => {
        waiting = resolve;
        failed = reject;
        setTimeout(() => reject(new Error(`${method} timed out`)), 5_000).unref();
      });
    },
  };
}

export class RtspChurn {
  readonly counts: ChurnCounts = { attempts: 0, played: 0, teardowns: 0, drops: 0, refused: {}, errors: 0 };
  readonly sockets = new Set<Socket>();
  readonly #port: number;
  readonly #mount: string;
  readonly #viaFrontDoor: boolean;

  /** Viewers of `mount` through the front door on 127.0.0.1:`port`, or of a helper's there. */
  constructor(port: number, mount: string, { viaFrontDoor = true }: { viaFrontDoor?: boolean } = {}) {
    this.#port = port;
    this.#mount = mount;
    this.#viaFrontDoor = viaFrontDoor;
  }

  /** The helper's URL of the mount: the front door's redirect, or the port's own. */
  async #location(): Promise<string | number> {
    const url = `rtsp://127.0.0.1:${this.#port}/${this.#mount}`;
    if (!this.#viaFrontDoor) return url;
    const door = rtspConnection('127.0.0.1', this.#port, this.sockets);
    const redirect = await door.request('DESCRIBE', url, { Accept: 'application/sdp' });
    door.socket.destroy();
    const location = redirect.headers.get('location');
    return redirect.status === 302 && location ? location : redirect.status;
  }

  /** One viewer: front door, DESCRIBE, SETUP, PLAY, ~1 s of data, then TEARDOWN (clean) or a dropped connection. */
  async play(clean: boolean): Promise<void> {
    const { counts, sockets } = this;
    counts.attempts += 1;
    const refuse = (status: number) => (counts.refused[String(status)] = (counts.refused[String(status)] ?? 0) + 1);
    let connection: ReturnType<typeof rtspConnection> | undefined;
    try {
      const location = await this.#location();
      if (typeof location === 'number') return void refuse(location);
      const target = new URL(location);
      connection = rtspConnection(target.hostname, Number(target.port), sockets);
      const describe = await connection.request('DESCRIBE', location, { Accept: 'application/sdp' });
      if (describe.status !== 200) return void refuse(describe.status);
      const base = describe.headers.get('content-base') ?? `${location}/`;
      const control = /^m=video[\s\S]*?a=control:(\S+)/m.exec(describe.body)?.[1] ?? '';
      const trackUrl = /^rtsp:/.test(control)
        ? control
        : new URL(control, base.endsWith('/') ? base : `${base}/`).toString();
      const setup = await connection.request('SETUP', trackUrl, { Transport: 'RTP/AVP/TCP;unicast;interleaved=0-1' });
      if (setup.status !== 200) return void refuse(setup.status);
      const session = (setup.headers.get('session') ?? '').split(';')[0]!;
      const play = await connection.request('PLAY', base, { Session: session, Range: 'npt=0.000-' });
      if (play.status !== 200) return void refuse(play.status);
      await sleep(1_000);
      if (connection.dataBytes() > 0) counts.played += 1;
      if (clean) {
        await connection.request('TEARDOWN', base, { Session: session }).catch(() => undefined);
        counts.teardowns += 1;
      } else {
        counts.drops += 1;
      }
    } catch {
      counts.errors += 1;
    } finally {
      connection?.socket.destroy();
    }
  }

  destroyAll(): void {
    for (const socket of this.sockets) socket.destroy();
  }
}
