// What is compared on each transport: two servers (the real CLI), one link per variant. The
// static mounts and one dynamic mount per client kind, each watched by one viewer.
import type { ClientKind } from './probes/client.ts';

export type ServerKey = 'a' | 'b';

export interface ServerSpec {
  key: ServerKey;
  staticKbps: number;
  /** Front door port inside the server namespace; helpers follow it. */
  portOffset: number;
}

export interface VariantSpec {
  name: string;
  mode: 'static' | 'dynamic';
  server: ServerKey;
  mount: string;
  client: ClientKind;
}

export const SERVERS: readonly ServerSpec[] = [
  { key: 'a', staticKbps: 5000, portOffset: 0 },
  { key: 'b', staticKbps: 1000, portOffset: 10 },
];

/**
 * Server a's video1 (static 5000, the original project's setting), server b's video1 (static
 * 1000), both watched by the first client kind; and per client kind a dynamic mount of its own on
 * server a (video2, video4: the video is served once per client kind), so that no viewer's path
 * holds another's bitrate down.
 */
export function benchVariants(clients: readonly ClientKind[]): VariantSpec[] {
  const first = clients[0]!;
  return [
    { name: 'static 5000', mode: 'static', server: 'a', mount: 'video1', client: first },
    { name: 'static 1000', mode: 'static', server: 'b', mount: 'video1', client: first },
    ...clients.map((client, i): VariantSpec => ({
      name: `dynamic ${client}`,
      mode: 'dynamic',
      server: 'a',
      mount: `video${2 * (i + 1)}`,
      client,
    })),
  ];
}

/** How many times a server serves the video: once per dynamic variant it has, at least once. */
export function copiesOf(server: ServerKey, variants: readonly VariantSpec[]): number {
  return Math.max(1, variants.filter((variant) => variant.server === server && variant.mode === 'dynamic').length);
}
