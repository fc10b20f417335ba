// What the front door answers for a mount name: where its helper is, or why it is not there.
import type { MountLookup } from '../front-door/server.ts';
import type { MountStatus } from '../supervisor/helper-supervisor.ts';

export function mountLookup(mounts: readonly MountStatus[]): MountLookup {
  const byName = new Map(mounts.map((mount) => [mount.stream.name, mount]));
  return (name) => {
    const mount = byName.get(name);
    if (!mount) return undefined;
    const { state } = mount;
    switch (state.kind) {
      case 'running':
        return { state: 'up', helperPort: mount.stream.helperPort };
      case 'restarting':
      case 'failing':
        return { state: 'restarting', retryAfterMs: Math.max(0, state.retryAtMs - Date.now()) };
      case 'starting':
        return { state: 'restarting' };
      case 'failed':
      case 'stopped':
        return { state: 'failed' };
    }
  };
}
