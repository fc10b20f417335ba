import { connect, type Socket } from 'node:net';

export interface RawResponse {
  readonly status: number;
  readonly statusLine: string;
  /** Lowercased names. */
  readonly headers: ReadonlyMap<string, string>;
}

/** A TCP client that writes raw bytes and reads the front door's bodiless responses. */
export class RawClient {
  private received = '';
  private waiters: (() => void)[] = [];
  readonly closed: Promise<void>;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (text: string) => {
      this.received += text;
      this.wake();
    });
    socket.on('error', () => {});
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    void this.closed.then(() => this.wake());
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host }, () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  write(data: string | Buffer): void {
    this.socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  /** Waits for `count` complete responses; rejects if the connection closes first. */
  async responses(count: number): Promise<RawResponse[]> {
    for (;;) {
      const complete = this.received.split('\r\n\r\n').slice(0, -1);
      if (complete.length >= count) return complete.slice(0, count).map(parseResponse);
      if (this.socket.destroyed)
        throw new Error(`closed after ${complete.length} responses: ${JSON.stringify(this.received)}`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  async response(): Promise<RawResponse> {
    const [response] = await this.responses(1);
    if (!response) throw new Error('no response');
    return response;
  }

  get text(): string {
    return this.received;
  }

  destroy(): void {
    this.socket.destroy();
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}

function parseResponse(head: string): RawResponse {
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  return { status: Number(statusLine.split(' ')[1]), statusLine, headers };
}
