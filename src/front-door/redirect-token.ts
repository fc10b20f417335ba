// Credentials through the redirect (docs/auth.md): with Digest the front door never learns a
// viewer's password, so it cannot hand it on; instead the 302 it sends an authenticated viewer
// names a user and password of its own making, which the helper checks the same way
// (native/auth/redirect-token.c): bound to the client's address and the video (the path's first
// segment, the front door's routing key), valid for TOKEN_LIFETIME_S, signed with the key the
// front door and the helpers share. Clients answer the helper's Digest challenge with the
// credentials of the URL they were sent to.
import { createHmac } from 'node:crypto';
import { videoOfPath } from './request-target.ts';

export const TOKEN_USER_PREFIX = 'abr-redirect-';
/** Long enough for a client to follow the redirect and SETUP; its session then keeps it going. */
export const TOKEN_LIFETIME_S = 60;
const TOKEN_DIGITS = 32;

export interface RedirectCredentials {
  user: string;
  password: string;
}

/** What a viewer at `address`, authenticated for `path` at `nowS` (wall clock), may give the helper. */
export function redirectCredentials(key: Buffer, address: string, path: string, nowS: number): RedirectCredentials {
  const expiry = Math.floor(nowS) + TOKEN_LIFETIME_S;
  const password = createHmac('sha256', key)
    .update(`${expiry}\n${address}\n${videoOfPath(path)}`, 'utf8')
    .digest('hex')
    .slice(0, TOKEN_DIGITS);
  return { user: `${TOKEN_USER_PREFIX}${expiry}`, password };
}
