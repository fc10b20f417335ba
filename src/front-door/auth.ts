// Authentication at the front door (--auth): Digest, and Basic when asked, in the realm the helpers
// use, so one set of credentials, and even one nonce, serves a client at both.
import { AUTH_REALM, checkNonce, clientAddress, digestResponse, newNonce, sameText } from './digest.ts';
import { namesRequestTarget } from './digest-uri.ts';
import type { AuthOptions } from '../config/options.ts';
import type { RtspHead } from './request-head.ts';

export interface Credentials extends Readonly<AuthOptions> {
  /** Signs nonces; the helpers get the same key. */
  readonly key: Buffer;
}

/** The WWW-Authenticate headers of a 401: empty when the request may go on. */
type AuthVerdict = { readonly ok: true } | { readonly ok: false; readonly challenges: readonly string[] };

/** `name=value` and `name="quoted value"` pairs of an auth header, names lowercased; of a repeated name, the first. */
export function parseAuthParams(text: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const match of text.matchAll(/([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g)) {
    const name = match[1]!.toLowerCase();
    if (!params.has(name)) params.set(name, match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3]!);
  }
  return params;
}

type CredentialCheck = 'valid' | 'stale' | 'wrong';

function checkDigest(params: Map<string, string>, { method, url }: AuthRequest, credentials: Credentials, address: string, nowS: number): CredentialCheck {
  const [user, nonce, uri, response] = ['username', 'nonce', 'uri', 'response'].map((name) => params.get(name));
  if (user === undefined || nonce === undefined || uri === undefined || response === undefined) return 'wrong';
  if (!namesRequestTarget(uri, url)) return 'wrong';
  const nonceCheck = checkNonce(credentials.key, nonce, nowS, address);
  if (nonceCheck === 'invalid') return 'wrong';
  // Both compared, whichever is wrong: the time taken tells nothing.
  const userRight = sameText(user, credentials.user);
  const responseRight = sameText(digestResponse(user, AUTH_REALM, credentials.password, method, uri, nonce), response.toLowerCase());
  if (!userRight || !responseRight) return 'wrong';
  return nonceCheck === 'valid' ? 'valid' : 'stale';
}

function checkBasic(token: string, credentials: Credentials): CredentialCheck {
  const expected = Buffer.from(`${credentials.user}:${credentials.password}`, 'utf8').toString('base64');
  return credentials.basic && sameText(token.trim(), expected) ? 'valid' : 'wrong';
}

function checkAuthorization(value: string, request: AuthRequest, credentials: Credentials, address: string, nowS: number): CredentialCheck {
  const space = value.indexOf(' ');
  const scheme = (space < 0 ? value : value.slice(0, space)).toLowerCase();
  const rest = space < 0 ? '' : value.slice(space + 1);
  if (scheme === 'digest') return checkDigest(parseAuthParams(rest), request, credentials, address, nowS);
  if (scheme === 'basic') return checkBasic(rest, credentials);
  return 'wrong';
}

/** The parts of a request authentication reads: an RTSP request's, or an HTTP one's (the HTTP side; `url` is its request.url). */
export type AuthRequest = Pick<RtspHead, 'method' | 'url' | 'headers'>;

/** `remoteAddress`: the client's, as its socket has it; nonces are made for it alone. */
export function authorize(request: AuthRequest, credentials: Credentials, remoteAddress: string, nowS = Date.now() / 1000): AuthVerdict {
  const address = clientAddress(remoteAddress);
  let stale = false;
  for (const value of request.headers.get('authorization') ?? []) {
    const check = checkAuthorization(value, request, credentials, address, nowS);
    if (check === 'valid') return { ok: true };
    stale ||= check === 'stale';
  }
  const digest = `Digest realm="${AUTH_REALM}", nonce="${newNonce(credentials.key, nowS, address)}"${stale ? ', stale=TRUE' : ''}`;
  return { ok: false, challenges: credentials.basic ? [`Basic realm="${AUTH_REALM}"`, digest] : [digest] };
}
