// The HTTP side of WHEP (RFC 9725): POST /whep/NAME with an SDP offer answers 201 with the SDP
// answer and the session's Location; DELETE on that Location ends it; OPTIONS answers a browser's
// CORS preflight (WHEP players run on other origins). Trickle ICE is not offered: PATCH gets 405,
// and the answer carries every candidate (docs/webrtc.md).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WhepGateway } from '../whep/whep-gateway.ts';
import { send } from './send.ts';

/** An offer is a few kB (Chromium's: ~5); anything near this is not one. */
export const MAX_OFFER_BYTES = 64 * 1024;
/** How long the rest of a body too large is read (and dropped) before its connection is closed. */
const DRAIN_BOUND_MS = 2_000;

/** On every answer of a WHEP path, a refusal included: a player on another origin must be able to read it. */
export const WHEP_CORS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'POST, DELETE, OPTIONS',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type, If-Match',
  'Access-Control-Expose-Headers': 'Location, Accept-Post, Retry-After, WWW-Authenticate',
  'Access-Control-Max-Age': '600',
};

export type WhepRoute = { kind: 'whep'; name: string } | { kind: 'whep-session'; name: string; session: string };

const TEXT = 'text/plain; charset=utf-8';

/** Every answer of a WHEP path carries WHEP_CORS. */
function reply(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  send(response, status, TEXT, body, { ...WHEP_CORS, ...headers });
}

/** The body, or undefined once it passed `limit` bytes. */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.removeAllListeners('data');
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function isSdp(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase() === 'application/sdp';
}

async function postOffer(
  name: string,
  request: IncomingMessage,
  response: ServerResponse,
  gateway: WhepGateway,
): Promise<void> {
  if (!isSdp(request.headers['content-type']))
    return reply(response, 415, 'a WHEP offer is Content-Type: application/sdp\n', {
      'Accept-Post': 'application/sdp',
    });
  const body = await readBody(request, MAX_OFFER_BYTES);
  if (body === undefined) {
    // The rest is read and dropped, for a while, so that the client reads the answer; then the
    // connection is closed, whatever it is still sending.
    request.resume();
    const bound = setTimeout(() => request.socket.destroy(), DRAIN_BOUND_MS);
    request.socket.once('close', () => clearTimeout(bound));
    return reply(response, 413, `an offer is at most ${MAX_OFFER_BYTES} bytes\n`, { Connection: 'close' });
  }
  const address = request.socket.remoteAddress ?? 'unknown';
  const userAgent = request.headers['user-agent'];
  const result = await gateway.offer(name, body.toString('utf8'), address, userAgent);
  if (result.status === 201 && 'sdp' in result)
    return send(response, 201, 'application/sdp', result.sdp, {
      ...WHEP_CORS,
      Location: `/whep/${name}/${result.session}`,
    });
  if ('message' in result) {
    const retry: Record<string, string> =
      result.retryAfterS === undefined ? {} : { 'Retry-After': `${result.retryAfterS}` };
    reply(response, result.status, `${result.message}\n`, retry);
  }
}

export async function answerWhep(
  route: WhepRoute,
  request: IncomingMessage,
  response: ServerResponse,
  gateway: WhepGateway,
): Promise<void> {
  if (request.method === 'OPTIONS')
    return reply(response, 204, '', route.kind === 'whep' ? { 'Accept-Post': 'application/sdp' } : {});
  if (route.kind === 'whep') return postOffer(route.name, request, response, gateway);
  if (gateway.end(route.name, route.session)) return reply(response, 200, '');
  reply(response, 404, `no WHEP session ${route.session} on ${route.name}\n`);
}

export function isWhepPath(url: string | undefined): boolean {
  return (url ?? '').startsWith('/whep/');
}

/** A browser's preflight carries no credentials (Fetch standard): it is answered without asking. */
export function isWhepPreflight(method: string | undefined, url: string | undefined): boolean {
  return method === 'OPTIONS' && isWhepPath(url);
}
