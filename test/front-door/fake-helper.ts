import { createServer, type Server } from 'node:net';
import { RequestParser } from '../../src/front-door/request-parser.ts';

/**
 * Stands in for a helper: answers OPTIONS with 200 (rtspsrc insists on DESCRIBE and SETUP in
 * Public) and anything else with 404, so that a real client stops there; records the request lines.
 */
export async function startFakeHelper(port: number): Promise<{ requestLines: string[]; close(): Promise<void> }> {
  const requestLines: string[] = [];
  const server: Server = createServer((socket) => {
    const parser = new RequestParser();
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      parser.feed(chunk);
      for (let result = parser.next(); result.kind === 'request'; result = parser.next()) {
        requestLines.push(`${result.method} ${result.url} ${result.version}`);
        const status =
          result.method === 'OPTIONS' ? '200 OK\r\nPublic: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN' : '404 Not Found';
        socket.write(`RTSP/1.0 ${status}\r\nCSeq: ${result.cseq}\r\nContent-Length: 0\r\n\r\n`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    requestLines,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
