// Which of a helper's mounts a record is about. A record about one mount names it (`mount`); the
// helper's own records (hello, ready, heartbeat, loop, a decode error, bye, crash) concern all its
// mounts; a connection that has not played yet, or a refusal before a mount was named, is counted
// on the helper's first mount (its static one).
import type { HelperEvent } from '../helper/events.ts';

/** `none`: a reply to a request of the supervisor's own (`whep`), for whoever asked. */
export type MountRoute = { to: 'all' } | { to: 'first' } | { to: 'mount'; mount: string } | { to: 'none' };

export function routeOf(event: HelperEvent): MountRoute {
  switch (event.type) {
    case 'hello':
    case 'ready':
    case 'heartbeat':
    case 'memory':
    case 'loop':
    case 'source':
    case 'source_stats':
    case 'error':
    case 'bye':
    case 'crash':
      return { to: 'all' };
    case 'client':
    case 'rejected':
    case 'media':
    case 'frame':
    case 'rtcp':
    case 'twcc':
    case 'feedback_dropped':
    case 'feedback_refused':
    case 'queue':
    case 'stats':
    case 'bitrate':
      return event.mount === undefined ? { to: 'first' } : { to: 'mount', mount: event.mount };
    case 'whep':
      return { to: 'none' };
  }
}

/** The handlers of the mounts a record goes to; a mount the helper does not serve gets none. */
export function routeTargets<T>(event: HelperEvent, mounts: ReadonlyMap<string, T>): T[] {
  const route = routeOf(event);
  switch (route.to) {
    case 'all':
      return [...mounts.values()];
    case 'first':
      return [...mounts.values()].slice(0, 1);
    case 'mount': {
      const target = mounts.get(route.mount);
      return target === undefined ? [] : [target];
    }
    case 'none':
      return [];
  }
}
