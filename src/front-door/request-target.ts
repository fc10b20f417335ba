// The request-URI forms the front door accepts: `*` (OPTIONS only), an absolute rtsp:// URL,
// or an absolute path (some clients send one; the host then comes from the socket).
export type RequestTarget =
  | { readonly kind: 'asterisk' }
  | {
      readonly kind: 'resource';
      /** Host exactly as the client wrote it (IPv6 literals keep their brackets); undefined when absent. */
      readonly host: string | undefined;
      /** '' or starting with '/'. */
      readonly path: string;
      /** '' or starting with '?'. */
      readonly query: string;
    };

const VISIBLE_ASCII = /^[\x21-\x7e]+$/;
const ABSOLUTE_URL = /^rtsp:\/\/([^/?]*)(\/[^?]*)?(\?.*)?$/i;
const ABSOLUTE_PATH = /^(\/[^?]*)(\?.*)?$/;
// [userinfo@] host [:port]; host is an IP literal in brackets or a reg-name / IPv4 address.
const AUTHORITY = /^(?:[^@]*@)?(\[[0-9A-Za-z:.%~_-]+\]|[A-Za-z0-9._~%!$&'()*+,;=-]*)(?::\d*)?$/;

/** Returns undefined when `raw` is none of the accepted forms. */
export function parseRequestTarget(raw: string): RequestTarget | undefined {
  if (raw === '*') return { kind: 'asterisk' };
  if (!VISIBLE_ASCII.test(raw) || raw.includes('#')) return undefined;
  const url = ABSOLUTE_URL.exec(raw);
  if (url) {
    const host = AUTHORITY.exec(url[1] ?? '')?.[1];
    if (host === undefined) return undefined;
    return { kind: 'resource', host: host === '' ? undefined : host, path: url[2] ?? '', query: url[3] ?? '' };
  }
  const path = ABSOLUTE_PATH.exec(raw);
  if (path) return { kind: 'resource', host: undefined, path: path[1] ?? '', query: path[2] ?? '' };
  return undefined;
}

/** The front door's routing key, a request path's first segment: `/video2/stream=0` → `video2`. */
export function videoOfPath(path: string): string {
  return /^\/([^/]*)/.exec(path)?.[1] ?? '';
}
