// A live source named by a URI (issue 24): which schemes the server pulls, the URI checked once at
// the edge, and its secrets masked wherever it is shown or recorded.

/** What uridecodebin plays and the server was tested with: cameras, SRT, HLS, MPEG-TS over UDP. */
export const LIVE_SCHEMES = ['rtsp', 'rtsps', 'srt', 'http', 'https', 'udp'] as const;
export type LiveScheme = (typeof LIVE_SCHEMES)[number];

/** Query parameters that hold a secret (SRT's passphrase, a token in an HLS URL). */
const SECRET_PARAMS = /^(passphrase|password|pass|pwd|token|key|secret)$/i;

/** `scheme://` at the start: a URI, not a path. */
export function looksLikeUri(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
}

/** The URI with its password and secret parameters as `***`: what every output shows. */
export function maskUri(uri: string): string {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    // Not parsed: mask anything between `//` and `@`, the usual place of credentials.
    return uri.replace(/\/\/[^/@]*@/, '//***@');
  }
  if (url.password !== '') url.password = '***';
  for (const key of [...url.searchParams.keys()]) if (SECRET_PARAMS.test(key)) url.searchParams.set(key, '***');
  return url.href;
}

/** The secrets of a URI, as they may appear in a message: its password and secret parameters. */
export function uriSecrets(uri: string): string[] {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return [];
  }
  const secrets = [
    url.password,
    decodeURIComponent(url.password),
    ...[...url.searchParams].filter(([key]) => SECRET_PARAMS.test(key)).map(([, value]) => value),
  ];
  return [...new Set(secrets.filter((secret) => secret.length > 0))];
}

/** Replaces every secret of `uri` in `text` with `***`. */
export function redactor(uri: string | undefined): (text: string) => string {
  const secrets = uri === undefined ? [] : uriSecrets(uri);
  if (secrets.length === 0) return (text) => text;
  return (text) => secrets.reduce((masked, secret) => masked.split(secret).join('***'), text);
}

/** Why `uri` cannot be pulled, or undefined when it can. */
export function uriProblem(uri: string): string | undefined {
  if (/^udp:\/\/@/i.test(uri)) return "write udp://0.0.0.0:PORT (or a multicast group) for VLC's udp://@:PORT";
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'not a valid URI';
  }
  const scheme = url.protocol.slice(0, -1).toLowerCase();
  if (!(LIVE_SCHEMES as readonly string[]).includes(scheme))
    return `the scheme ${scheme}:// is not one the server pulls (${LIVE_SCHEMES.join(', ')}, or file://)`;
  if (scheme === 'udp') return url.port === '' ? 'a udp:// source needs a port (udp://0.0.0.0:5000)' : undefined;
  if (url.hostname === '') return 'it names no host';
  if (scheme === 'srt' && url.port === '') return 'an srt:// source needs a port';
  return undefined;
}
