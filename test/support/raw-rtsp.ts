// A raw RTSP client for requests no real client would send: writes any bytes, reads responses
// (head and Content-Length body), counts and drops the interleaved data (`$` frames) of a session
// playing over TCP, and notices when the server closes the connection.
import { connect, type Socket } from 'node:net';

export interface RawReply {
  /** Status code of the first response, if one came. */
  status: number | undefined;
  /** The server closed the connection. */
  closed: boolean;
  head: string;
  /** Its Content-Length body (latin1), '' when it has none. */
  body: string;
}

/**
 * One RTSP connection that sends raw bytes and reads responses (headers and any
 * Content-Length body), for requests no real client would send.
 */
export class RawRtsp {
  readonly socket: Socket;
  /** A reset or other socket error, if one happened. */
  error: Error | undefined;
  /** Interleaved data frames received (and dropped). */
  interleavedFrames = 0;
  #buffer = Buffer.alloc(0);
  #closed = false;
  #waiters = new Set<() => void>();

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#dropInterleaved();
      this.#notify();
    });
    socket.on('close', () => {
      this.#closed = true;
      this.#notify();
    });
    socket.on('error', (error) => {
      this.error = error;
    });
  }

  /** `localAddress`: another loopback address (127.0.0.2) is another client to the server. */
  static open(port: number, localAddress?: string): Promise<RawRtsp> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host: '127.0.0.1', localAddress }, () => resolve(new RawRtsp(socket)));
      socket.once('error', reject);
    });
  }

  /** `$`, channel, 16-bit length, data: frames at the front of what was read, between responses. */
  #dropInterleaved(): void {
    while (this.#buffer.length >= 4 && this.#buffer[0] === 0x24) {
      const end = 4 + this.#buffer.readUInt16BE(2);
      if (this.#buffer.length < end) return;
      this.#buffer = this.#buffer.subarray(end);
      this.interleavedFrames += 1;
    }
  }

  #notify(): void {
    for (const waiter of this.#waiters) waiter();
  }

  write(data: string | Buffer): void {
    if (!this.socket.destroyed) this.socket.write(data);
  }

  /** The next response, or what is known when the connection closed or timeoutMs passed. */
  next(timeoutMs = 3_000): Promise<RawReply> {
    return new Promise((resolve) => {
      const check = (): void => {
        // A frame still arriving: what follows it is not read yet.
        if (this.#buffer[0] === 0x24 && !this.#closed) return;
        const text = this.#buffer.toString('latin1');
        const end = text.indexOf('\r\n\r\n');
        if (end >= 0) {
          const head = text.slice(0, end);
          const length = Number(/^Content-Length:\s*(\d+)/im.exec(head)?.[1] ?? 0);
          if (this.#buffer.length >= end + 4 + length) {
            const body = text.slice(end + 4, end + 4 + length);
            this.#buffer = this.#buffer.subarray(end + 4 + length);
            this.#dropInterleaved();
            done({ status: Number(/^RTSP\/1\.0 (\d{3})/.exec(head)?.[1]) || undefined, closed: false, head, body });
            return;
          }
        }
        if (this.#closed) done({ status: undefined, closed: true, head: text, body: '' });
      };
      const done = (reply: RawReply): void => {
        this.#waiters.delete(check);
        clearTimeout(timer);
        resolve(reply);
      };
      const timer = setTimeout(() => done({ status: undefined, closed: this.#closed, head: '', body: '' }), timeoutMs);
      this.#waiters.add(check);
      check();
    });
  }

  async request(lines: string[], timeoutMs?: number): Promise<RawReply> {
    this.write(`${lines.join('\r\n')}\r\n\r\n`);
    return this.next(timeoutMs);
  }

  close(): void {
    this.socket.destroy();
  }
}

/** The Session id of a SETUP response, if it has one. */
export function sessionOf(head: string): string | undefined {
  return /^Session:\s*([^;\r\n]+)/im.exec(head)?.[1];
}

/** One request of `lines` on a fresh connection, then closed. */
export async function requestOnce(port: number, lines: string[]): Promise<RawReply> {
  const client = await RawRtsp.open(port);
  const reply = await client.request(lines);
  client.close();
  return reply;
}

/** Sends one raw request on a fresh connection; an error status, a close or silence. */
export async function rawOnce(port: number, data: string | Buffer, timeoutMs = 3_000): Promise<RawReply> {
  const client = await RawRtsp.open(port); // rejects when the connection is refused or reset
  client.write(data);
  const reply = await client.next(timeoutMs);
  client.close();
  return reply;
}
