// Authentication at the front door and the HTTP side (--auth): Digest, and Basic when asked, in the
// realm the helpers use, so one set of credentials, and even one nonce, serves a client at both.
import { AUTH_REALM, checkNonce, clientAddress, digestResponse, newNonce, sameText } from './digest.ts';
import { namesRequestTarget } from './digest-uri.ts';
import type { AuthOptions } from '../config/options.ts';
import type { AuthThrottle } from './auth-throttle.ts';
import type { RtspHead } from './request-head.ts';

export interface Credentials extends Readonly<AuthOptions> {
  /** Signs nonces; the helpers get the same key. */
  readonly key: Buffer;
}

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

function checkDigest(
  params: Map<string, string>,
  { method, url }: AuthRequest,
  credentials: Credentials,
  address: string,
  nowS: number,
): CredentialCheck {
  const [user, nonce, uri, response] = ['username', 'nonce', 'uri', 'response'].map((name) => params.get(name));
  if (user === undefined || nonce === undefined || uri === undefined || response === undefined) return 'wrong';
  if (!namesRequestTarget(uri, url)) return 'wrong';
  const nonceCheck = checkNonce(credentials.key, nonce, nowS, address);
  if (nonceCheck === 'invalid') return 'wrong';
  // Both compared, whichever is wrong: the time taken tells nothing.
  const userRight = sameText(user, credentials.user);
  const responseRight = sameText(
    digestResponse(user, AUTH_REALM, credentials.password, method, uri, nonce),
    response.toLowerCase(),
  );
  if (!userRight || !responseRight) return 'wrong';
  return nonceCheck === 'valid' ? 'valid' : 'stale';
}

function checkBasic(token: string, credentials: Credentials): CredentialCheck {
  const expected = Buffer.from(`${credentials.user}:${credentials.password}`, 'utf8').toString('base64');
  return credentials.basic && sameText(token.trim(), expected) ? 'valid' : 'wrong';
}

function checkAuthorization(
  value: string,
  request: AuthRequest,
  credentials: Credentials,
  address: string,
  nowS: number,
): CredentialCheck {
  const space = value.indexOf(' ');
  const scheme = (space < 0 ? value : value.slice(0, space)).toLowerCase();
  const rest = space < 0 ? '' : value.slice(space + 1);
  if (scheme === 'digest') return checkDigest(parseAuthParams(rest), request, credentials, address, nowS);
  if (scheme === 'basic') return checkBasic(rest, credentials);
  return 'wrong';
}

/** The parts of a request authentication reads: an RTSP request's, or an HTTP one's (the HTTP side; `url` is its request.url). */
export type AuthRequest = Pick<RtspHead, 'method' | 'url' | 'headers'>;

/** What a door needs to ask for credentials: them, and the throttle of wrong answers by client address. */
export interface AuthGuard {
  readonly credentials: Credentials;
  readonly throttle: AuthThrottle;
}

/**
 * Why a request was refused: `missing` (no credentials: a client's first request has none),
 * `stale` (right ones on an expired nonce), `failed` (wrong ones: a guess, which the throttle
 * counts), `throttled` (not checked: its address had no failure left).
 */
export type AuthRefusal = 'missing' | 'stale' | 'failed' | 'throttled';

/** A refusal carries the WWW-Authenticate headers of its 401. */
type AuthVerdict =
  { readonly ok: true } | { readonly ok: false; readonly refusal: AuthRefusal; readonly challenges: readonly string[] };

/** `remoteAddress`: the client's, as its socket has it; nonces are made for it alone, and its wrong answers throttle it alone. */
export function authorize(
  request: AuthRequest,
  { credentials, throttle }: AuthGuard,
  remoteAddress: string,
  nowS = Date.now() / 1000,
): AuthVerdict {
  const address = clientAddress(remoteAddress);
  let stale = false;
  let failed = false;
  let throttled = false;
  // Each Authorization header is a guess of its own: a request holds no more than its address has left.
  for (const value of request.headers.get('authorization') ?? []) {
    if (throttle.locked(address)) {
      throttled = true;
      break;
    }
    const check = checkAuthorization(value, request, credentials, address, nowS);
    if (check === 'valid') return { ok: true };
    if (check === 'wrong') throttle.failed(address);
    stale ||= check === 'stale';
    failed ||= check === 'wrong';
  }
  const refusal = throttled ? 'throttled' : failed ? 'failed' : stale ? 'stale' : 'missing';
  const digest = `Digest realm="${AUTH_REALM}", nonce="${newNonce(credentials.key, nowS, address)}"${stale ? ', stale=TRUE' : ''}`;
  return { ok: false, refusal, challenges: credentials.basic ? [`Basic realm="${AUTH_REALM}"`, digest] : [digest] };
}
