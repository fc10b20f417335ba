// An HTTP answer whole, in one place: its length, never cached, no body for HEAD.
import type { ServerResponse } from 'node:http';

export function send(
  response: ServerResponse,
  status: number,
  contentType: string,
  body: string | Buffer,
  headers: Record<string, string | string[]> = {},
): void {
  response.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    ...headers,
  });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}

export function sendJson(response: ServerResponse, status: number, value: unknown): void {
  send(response, status, 'application/json; charset=utf-8', `${JSON.stringify(value)}\n`);
}

export function sendError(
  response: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string | string[]> = {},
): void {
  send(response, status, 'text/plain; charset=utf-8', `${message}\n`, headers);
}
