import { authorize, type AuthGuard } from './auth.ts';
import { clientAddress } from './digest.ts';
import { redirectCredentials } from './redirect-token.ts';
import type { RtspRequest } from './request-head.ts';
import { videoOfPath } from './request-target.ts';
import type { RtspResponse } from './responses.ts';

/** `retryAfterMs`: when a restarting helper is expected back (its backoff); 1 s if unknown. */
export type MountState =
  | { readonly state: 'up'; readonly helperPort: number }
  | { readonly state: 'restarting'; readonly retryAfterMs?: number }
  | { readonly state: 'failed' };

/** Answers undefined for a name that is not a mount. */
export type MountLookup = (name: string) => MountState | undefined;

export const PUBLIC_METHODS = 'OPTIONS, DESCRIBE, SETUP, TEARDOWN, PLAY, PAUSE, GET_PARAMETER';

/** The two ends of the connection a request came on. */
interface Peers {
  /** Names this server when the request URI carries no host. */
  readonly localAddress: string;
  /** The client's address: Digest nonces are made for it. */
  readonly remoteAddress: string;
}

/**
 * The front door's decision for one well-formed request. OPTIONS is always answered here, without
 * credentials (FFmpeg gives up when it is not 200); with `auth`, anything else needs them
 * (401 and a challenge), before a mount is even looked up; then it goes to the mount's helper,
 * with credentials of the front door's own making in the URL when it authenticated the viewer
 * (redirect-token.ts): it never learns a Digest password to hand on.
 */
export function route(
  request: RtspRequest,
  lookupMount: MountLookup,
  { localAddress, remoteAddress }: Peers,
  auth?: AuthGuard,
  now: () => number = () => Date.now() / 1000,
): RtspResponse {
  const { cseq } = request;
  const answer = (status: RtspResponse['status'], headers: RtspResponse['headers'] = []): RtspResponse => ({
    status,
    cseq,
    headers,
    close: false,
  });
  if (request.method === 'OPTIONS') return answer(200, [['Public', PUBLIC_METHODS]]);
  if (auth) {
    const verdict = authorize(request, auth, remoteAddress);
    if (!verdict.ok)
      return {
        ...answer(
          401,
          verdict.challenges.map((challenge) => ['WWW-Authenticate', challenge] as const),
        ),
        refusal: verdict.refusal,
      };
  }
  const { target } = request;
  if (target.kind === 'asterisk') return answer(404);
  const name = videoOfPath(target.path);
  const mount = name === '' ? undefined : lookupMount(name);
  switch (mount?.state) {
    case undefined:
      return answer(404);
    case 'failed':
      return answer(503);
    case 'restarting':
      return answer(503, [['Retry-After', String(Math.max(1, Math.ceil((mount.retryAfterMs ?? 1000) / 1000)))]]);
    case 'up': {
      const host = target.host ?? hostOfAddress(localAddress);
      const token = auth && redirectCredentials(auth.credentials.key, clientAddress(remoteAddress), target.path, now());
      const userinfo = token ? `${token.user}:${token.password}@` : '';
      return answer(302, [['Location', `rtsp://${userinfo}${host}:${mount.helperPort}${target.path}${target.query}`]]);
    }
  }
}

/** A socket address as a URL host: IPv6 in brackets, IPv4-mapped IPv6 as plain IPv4. */
export function hostOfAddress(address: string): string {
  const plain = clientAddress(address);
  return plain.includes(':') ? `[${plain.replace('%', '%25')}]` : plain;
}
