// What is compared on each transport: two servers (the real CLI), three mounts, one link each.
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
}

export const SERVERS: readonly ServerSpec[] = [
  { key: 'a', staticKbps: 5000, portOffset: 0 },
  { key: 'b', staticKbps: 1000, portOffset: 10 },
];

/** Server a's video1 (static 5000, the original project's setting) and video2 (dynamic); server b's video1. */
export const VARIANTS: readonly VariantSpec[] = [
  { name: 'static 5000', mode: 'static', server: 'a', mount: 'video1' },
  { name: 'static 1000', mode: 'static', server: 'b', mount: 'video1' },
  { name: 'dynamic', mode: 'dynamic', server: 'a', mount: 'video2' },
];
