// What the front door answers for a mount name: where its helper is, or why it is not there.
import type { MountLookup } from '../front-door/server.ts';
import type { StreamSupervisor } from '../supervisor/stream-supervisor.ts';

export function mountLookup(supervisors: readonly StreamSupervisor[]): MountLookup {
  const byName = new Map(supervisors.map((supervisor) => [supervisor.stream.name, supervisor]));
  return (name) => {
    const supervisor = byName.get(name);
    if (!supervisor) return undefined;
    const { state } = supervisor;
    switch (state.kind) {
      case 'running':
        return { state: 'up', helperPort: supervisor.stream.helperPort };
      case 'restarting':
        return { state: 'restarting', retryAfterMs: Math.max(0, state.retryAtMs - Date.now()) };
      case 'starting':
        return { state: 'restarting' };
      case 'failed':
      case 'stopped':
        return { state: 'failed' };
    }
  };
}
