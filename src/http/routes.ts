// What an HTTP request asks for. Pure. Paths are matched exactly as they arrive (no decoding, no
// dot-segment resolution): only the fixed paths below exist, so `/../`, `%2e%2e` or a file name
// reach nothing but a 404.
export const ASSET_PATHS = [
  '/',
  '/dashboard.js',
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
  | { kind: 'not-found' }
  | { kind: 'method-not-allowed' };

const STREAM_PATH = /^\/api\/v1\/streams\/([A-Za-z0-9_-]{1,64})$/;

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
    route = stream ? { kind: 'stream', name: stream[1]! } : { kind: 'not-found' };
  }
  if (route.kind !== 'not-found' && method !== 'GET' && method !== 'HEAD') return { kind: 'method-not-allowed' };
  return route;
}
