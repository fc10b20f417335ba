// What an HTTP request asks for. Pure. Paths are matched exactly as they arrive (no decoding, no
// dot-segment resolution): only the fixed paths below exist, so `/../`, `%2e%2e` or a file name
// reach nothing but a 404.
export const ASSET_PATHS = [
  '/',
  '/dashboard.js',
  '/whep-player.js',
  '/dashboard.css',
  '/dashboard-specs.json',
  '/vendor/vega.min.js',
] as const;
export type AssetPath = (typeof ASSET_PATHS)[number];

export type Route =
  | { kind: 'asset'; path: AssetPath }
  | { kind: 'metrics' }
  | { kind: 'streams' }
  | { kind: 'stream'; name: string }
  | { kind: 'events' }
  /** WHEP: POST an offer to a stream's endpoint; DELETE the session its answer named. */
  | { kind: 'whep'; name: string }
  | { kind: 'whep-session'; name: string; session: string }
  | { kind: 'not-found' }
  | { kind: 'method-not-allowed'; allow: string };

const STREAM_PATH = /^\/api\/v1\/streams\/([A-Za-z0-9_-]{1,64})$/;
const WHEP_PATH = /^\/whep\/([A-Za-z0-9_-]{1,64})$/;
const WHEP_SESSION_PATH = /^\/whep\/([A-Za-z0-9_-]{1,64})\/([A-Za-z0-9_-]{1,64})$/;

/** The methods each kind of route answers; OPTIONS is a browser's CORS preflight. */
function allowedMethods(route: Route): readonly string[] {
  switch (route.kind) {
    case 'whep':
      return ['POST', 'OPTIONS'];
    case 'whep-session':
      return ['DELETE', 'OPTIONS'];
    default:
      return ['GET', 'HEAD'];
  }
}

function pathOf(target: string): string {
  const query = target.indexOf('?');
  return query < 0 ? target : target.slice(0, query);
}

export function routeOf(method: string, target: string): Route {
  const path = pathOf(target);
  let route: Route;
  if ((ASSET_PATHS as readonly string[]).includes(path)) route = { kind: 'asset', path: path as AssetPath };
  else if (path === '/metrics') route = { kind: 'metrics' };
  else if (path === '/api/v1/streams') route = { kind: 'streams' };
  else if (path === '/api/v1/events') route = { kind: 'events' };
  else {
    const stream = STREAM_PATH.exec(path);
    const whep = WHEP_PATH.exec(path);
    const session = WHEP_SESSION_PATH.exec(path);
    if (stream) route = { kind: 'stream', name: stream[1]! };
    else if (whep) route = { kind: 'whep', name: whep[1]! };
    else if (session) route = { kind: 'whep-session', name: session[1]!, session: session[2]! };
    else route = { kind: 'not-found' };
  }
  const allowed = allowedMethods(route);
  if (route.kind !== 'not-found' && !allowed.includes(method))
    return { kind: 'method-not-allowed', allow: allowed.join(', ') };
  return route;
}
