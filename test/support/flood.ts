// Connection floods for limit tests: many idle or slowloris connections, raw exchanges, and a timed DESCRIBE.
import { connect, type Socket } from 'node:net';

export function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** A DESCRIBE on a new connection: its status and how long the answer took. */
export async function describeTimed(port: number): Promise<{ status: number | undefined; ms: number }> {
  const since = Date.now();
  const socket = await open(port);
  socket.on('error', () => {});
  socket.setEncoding('latin1');
  socket.write(`DESCRIBE rtsp://127.0.0.1:${port}/video1 RTSP/1.0\r\nCSeq: 1\r\n\r\n`);
  const text = await new Promise<string>((resolve) => {
    let received = '';
    const timer = setTimeout(() => resolve(received), 5000);
    socket.on('data', (chunk: string) => {
      received += chunk;
      if (received.includes('\r\n\r\n')) {
        clearTimeout(timer);
        resolve(received);
      }
    });
    socket.once('close', () => resolve(received));
  });
  socket.destroy();
  const status = /^RTSP\/1\.0 (\d{3}) /.exec(text)?.[1];
  return { status: status === undefined ? undefined : Number(status), ms: Date.now() - since };
}

/** Opens `count` connections in batches (the listen backlog is 511); each is destroyed by after(). */
export async function flood(
  port: number,
  count: number,
  onOpen: (socket: Socket) => void = () => {},
): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let first = 0; first < count; first += 100) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(100, count - first) }, () =>
        open(port).then(
          (socket) => {
            socket.on('error', () => {});
            onOpen(socket);
            return socket;
          },
          () => undefined,
        ),
      ),
    );
    for (const socket of batch) if (socket) sockets.push(socket);
  }
  return sockets;
}

/** Writes one byte of a request every `everyMs`: a slowloris client. */
export function trickle(socket: Socket, everyMs: number): void {
  const text = 'DESCRIBE rtsp://127.0.0.1/video1 RTSP/1.0\r\nCSeq: 1\r\nX-Slow: ' + 'x'.repeat(10_000);
  let at = 0;
  const timer = setInterval(() => {
    if (socket.destroyed) clearInterval(timer);
    else socket.write(text[at++ % text.length]!);
  }, everyMs);
  socket.once('close', () => clearInterval(timer));
}

export function closedCount(sockets: readonly Socket[]): number {
  return sockets.filter((socket) => socket.destroyed || socket.closed).length;
}

export interface Exchange {
  /** Status codes of the responses received before the close. */
  readonly statuses: number[];
  /** ms from the first write to the server's close; undefined if it had not closed by the cap. */
  readonly closedAfterMs: number | undefined;
}

/** Sends `bytes` on a new connection and waits until the server closes it, at most `capMs`. */
export async function exchange(port: number, bytes: Buffer, capMs: number): Promise<Exchange> {
  const socket = await open(port);
  socket.on('error', () => {});
  let received = '';
  socket.setEncoding('latin1');
  socket.on('data', (text: string) => (received += text));
  const since = Date.now();
  socket.write(bytes);
  const closed = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), capMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
  socket.destroy();
  const statuses = [...received.matchAll(/^RTSP\/1\.0 (\d{3}) /gm)].map((match) => Number(match[1]));
  return { statuses, closedAfterMs: closed ? Date.now() - since : undefined };
}
