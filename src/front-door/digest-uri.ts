// RFC 2617 3.2.2.5: a Digest answer's `uri` must name the request's target, or an answer seen for
// one resource opens another. Clients write the host differently (a name, an address, with or
// without the default port), so the same path and query is the same target.

// scheme://authority[/path][?query], or /path[?query]: what RTSP and HTTP clients send in both.
const ABSOLUTE = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*(\/[^?#]*)?(\?[^#]*)?$/i;
const ORIGIN = /^(\/[^?#]*)(\?[^#]*)?$/;

/** Path and query of a request target; undefined when it is neither form. */
function pathAndQuery(target: string): string | undefined {
  const match = ABSOLUTE.exec(target) ?? ORIGIN.exec(target);
  return match ? `${match[1] ?? ''}${match[2] ?? ''}` : undefined;
}

/** `uri`: the Digest parameter; `target`: the request line's (RTSP) or request.url (HTTP). */
export function namesRequestTarget(uri: string, target: string): boolean {
  if (uri === target) return true;
  const ofUri = pathAndQuery(uri);
  return ofUri !== undefined && ofUri === pathAndQuery(target);
}
