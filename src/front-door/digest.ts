// RTSP Digest authentication with stateless nonces, the scheme of native/auth/digest.c: a nonce is its
// expiry (12 hex digits of Unix seconds) and the first 32 hex digits of an HMAC-SHA256 of
// "<expiry>:<client address>" under a key the front door shares with every helper. A client
// redirected from the front door answers the helper's first request with the nonce it got here
// (FFmpeg does, and gives up on a second 401), and the helper accepts it from that client only.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const AUTH_REALM = 'abr-rtsp-server';
export const NONCE_LIFETIME_S = 60;
const KEY_BYTES = 32;
const EXPIRY_DIGITS = 12;
const MAC_DIGITS = 32;
const NONCE = /^[0-9a-f]{44}$/i;

export type NonceCheck = 'valid' | 'stale' | 'invalid';

export function newAuthKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

function macOf(key: Buffer, expiry: string, address: string): string {
  return createHmac('sha256', key).update(`${expiry}:${address}`, 'utf8').digest('hex').slice(0, MAC_DIGITS);
}

/** The client's IP address as both sides write it: IPv4-mapped IPv6 as plain IPv4. */
export function clientAddress(remoteAddress: string): string {
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(remoteAddress) ? remoteAddress.slice(7) : remoteAddress;
}

/** A nonce for the client at `address`, valid until nowS + NONCE_LIFETIME_S. */
export function newNonce(key: Buffer, nowS: number, address: string): string {
  const expiry = Math.floor(nowS + NONCE_LIFETIME_S)
    .toString(16)
    .padStart(EXPIRY_DIGITS, '0');
  return expiry + macOf(key, expiry, address);
}

export function checkNonce(key: Buffer, nonce: string, nowS: number, address: string): NonceCheck {
  if (!NONCE.test(nonce)) return 'invalid';
  const lower = nonce.toLowerCase();
  const expiry = lower.slice(0, EXPIRY_DIGITS);
  if (!sameText(macOf(key, expiry, address), lower.slice(EXPIRY_DIGITS))) return 'invalid';
  return Math.floor(nowS) <= Number.parseInt(expiry, 16) ? 'valid' : 'stale';
}

const md5 = (...parts: string[]): string => createHash('md5').update(parts.join(':'), 'utf8').digest('hex');

/** RFC 2069 (no qop): MD5(MD5(user:realm:password):nonce:MD5(method:uri)). */
export function digestResponse(
  user: string,
  realm: string,
  password: string,
  method: string,
  uri: string,
  nonce: string,
): string {
  return md5(md5(user, realm, password), nonce, md5(method, uri));
}

/** Equal strings, compared in time that does not depend on where they differ. */
export function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
