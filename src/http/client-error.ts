// A connection Node gives up on ('clientError': a head not complete in time, bytes that are not
// HTTP) is answered, then closed for good. socket.end() alone only half-closes it: it then keeps
// its place under maxConnections, and its descriptor, until the client closes its side, which a
// hostile client never does.
import type { Socket } from 'node:net';

/** The answer gets this long to reach the kernel; the connection is destroyed then, flushed or not. */
export const FLUSH_BOUND_MS = 1_000;

const REASON = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' } as const;

/** What Node itself would answer: 408 for a head not complete in time, 431 for one too large, else 400. */
export function clientErrorStatus(code: string | undefined): keyof typeof REASON {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  if (code === 'HPE_HEADER_OVERFLOW') return 431;
  return 400;
}

export function closeAfterClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  // A reset connection has nobody to read an answer.
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const status = clientErrorStatus(error.code);
  const bound = setTimeout(() => socket.destroy(), FLUSH_BOUND_MS);
  socket.once('close', () => clearTimeout(bound));
  socket.end(`HTTP/1.1 ${status} ${REASON[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, () =>
    socket.destroy(),
  );
}
