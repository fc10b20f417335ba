// The loopback ports and network namespace names of the test files, in one table. Test files run
// side by side (scripts/run-tests.mjs), so each one that listens or connects takes its ports from a
// block of its own here, found by its own path (`portsOf(import.meta.url)`): two files never share
// a port, and a file cannot take another's block by mistake. test/ports.test.ts checks that the
// blocks do not overlap, stay below 32768 (the helper's RTP/RTCP ports and every client's
// ephemeral ones come from the kernel's range, 32768..60999), and that no test file writes a port
// number of its own.
//
// ABR_TEST_SLOT (0 to 3, default 0) moves every block up by SLOT_SPAN ports and appends the slot to
// every namespace name: two checkouts running the suite on one machine at once each take a slot.

export interface PortBlock {
  /** First port of the block. */
  readonly base: number;
  /** How many ports, base included. */
  readonly size: number;
  /** The port `offset` into the block. */
  at(offset: number): number;
  /** `count` consecutive ports from `offset` on. */
  range(offset: number, count: number): number[];
}

interface BlockSpec {
  base: number;
  size: number;
  /** What the file uses them for. */
  use: string;
}

/**
 * Slot 0's blocks, by test file (its path below test/). Each block is the file's alone: a file that
 * starts helpers through `npm start` owns the helpers' ports after each front door too.
 */
export const PORT_BLOCKS: Readonly<Record<string, BlockSpec>> = {
  'integration/helper.test.ts': { base: 18600, size: 50, use: 'one helper after another (HelperLauncher)' },
  'front-door/server.test.ts': { base: 18700, size: 30, use: 'in-process front doors, a fake helper' },
  'integration/front-door-clients.test.ts': { base: 18740, size: 10, use: 'a front door and a fake helper' },
  'integration/serve.test.ts': { base: 18800, size: 70, use: 'four npm start servers, at +0, +20, +40, +60' },
  'integration/cli.test.ts': { base: 18890, size: 10, use: 'a taken port, a server that must not start' },
  'integration/helper-metrics.test.ts': { base: 18950, size: 20, use: 'one helper after another' },
  'integration/network-metrics.test.ts': { base: 18970, size: 10, use: 'a server on loopback, one in a namespace' },
  'integration/run-metrics.test.ts': { base: 18980, size: 10, use: 'one npm start server' },
  'integration/bench.test.ts': { base: 19100, size: 30, use: "the bench's two servers (inside its namespaces)" },
  'integration/report.test.ts': { base: 19200, size: 30, use: 'three npm start servers, at +0, +10, +20' },
  'integration/hostile-front-door.test.ts': { base: 19300, size: 100, use: 'in-process front doors, a CLI at +90' },
  'integration/hostile-helper.test.ts': { base: 19400, size: 100, use: 'helpers from +0, UDP client ports from +60' },
  'integration/faults.test.ts': {
    base: 19500,
    size: 100,
    use: 'five npm start servers, at +0, +30, +40 (HTTP +45), +60, +80',
  },
  'integration/helper-limits.test.ts': { base: 19600, size: 50, use: 'helpers from +0, UDP client ports from +40' },
  'integration/auth.test.ts': { base: 19650, size: 50, use: 'helpers from +0, a server at +30, UDP ports at +40' },
  'integration/feedback.test.ts': { base: 19700, size: 40, use: 'helpers from +0, a server at +20' },
  'integration/http.test.ts': { base: 19740, size: 60, use: 'servers at +0 (HTTP +20) and +30 (HTTP +50)' },
  'integration/hostile-http.test.ts': { base: 19800, size: 20, use: 'in-process HTTP sides' },
  'integration/hostile-auth.test.ts': {
    base: 19820,
    size: 30,
    use: 'front doors, a server at +10 (HTTP +20), a helper',
  },
  'integration/dashboard.test.ts': { base: 19850, size: 60, use: 'a server at +0, its HTTP side at +50' },
  'integration/viewers.test.ts': { base: 19910, size: 30, use: 'two servers (inside namespaces), at +0 and +10' },
  'integration/probe.test.ts': { base: 19940, size: 10, use: 'a server at +0, its helpers from +1' },
  'integration/request-fuzz.test.ts': {
    base: 21000,
    size: 200,
    use: 'helpers at +0..+99, fuzzed UDP client ports above',
  },
  'integration/helper-crashes.test.ts': { base: 21200, size: 80, use: 'servers at +0 and +20, their HTTP at +50, +70' },
  'integration/hostile-sessions.test.ts': { base: 21280, size: 60, use: 'helpers from +0, UDP client ports from +40' },
  'integration/helper-memory.test.ts': { base: 21350, size: 10, use: 'one helper' },
  'integration/new-user.test.ts': { base: 21400, size: 20, use: 'npm start servers at +0 and +10, one helper each' },
  'integration/audio.test.ts': { base: 21420, size: 20, use: 'one helper after another (HelperLauncher)' },
  'integration/live-sources.test.ts': {
    base: 21440,
    size: 60,
    use: 'helpers from +0, cameras and senders from +30, a server at +50',
  },
  'integration/webrtc.test.ts': {
    base: 21500,
    size: 70,
    use: 'servers at +0 (HTTP +20, WebRTC UDP +40..+49) and +60 (HTTP +65, in namespaces)',
  },
};

/** Network namespace name prefixes, by test file: none is the start of another's. */
export const NETNS_PREFIXES: Readonly<Record<string, string>> = {
  'integration/bench.test.ts': 'abrtst',
  'integration/viewers.test.ts': 'abrvt',
  'integration/network-metrics.test.ts': 'abrnm',
  'integration/webrtc.test.ts': 'abrwr',
};

/** How far one slot's blocks are from the next's: past the highest block of slot 0. */
export const SLOT_SPAN = 3000;
export const SLOTS = 4;

/** ABR_TEST_SLOT, checked: a typo must not silently share the ports of another checkout. */
export function testSlot(raw: string | undefined = process.env.ABR_TEST_SLOT): number {
  if (raw === undefined || raw === '') return 0;
  const slot = Number(raw);
  if (!Number.isInteger(slot) || slot < 0 || slot >= SLOTS)
    throw new RangeError(`ABR_TEST_SLOT must be a whole number from 0 to ${SLOTS - 1}, not ${JSON.stringify(raw)}`);
  return slot;
}

/** The key of PORT_BLOCKS for a test file's URL or path: its path below test/. */
export function testFileKey(fileUrlOrPath: string): string {
  const path = fileUrlOrPath.startsWith('file:') ? new URL(fileUrlOrPath).pathname : fileUrlOrPath;
  const match = /(?:^|\/)test\/(.+)$/.exec(path);
  if (!match?.[1]) throw new TypeError(`not a file below test/: ${JSON.stringify(fileUrlOrPath)}`);
  return match[1];
}

export function blockAt(base: number, size: number, owner: string): PortBlock {
  const at = (offset: number): number => {
    if (!Number.isInteger(offset) || offset < 0 || offset >= size)
      throw new RangeError(`${owner}: port offset ${offset} is outside its block of ${size}`);
    return base + offset;
  };
  return {
    base,
    size,
    at,
    range: (offset, count) => Array.from({ length: count }, (_, i) => at(offset + i)),
  };
}

/** The calling test file's ports (pass `import.meta.url`), in the slot of ABR_TEST_SLOT. */
export function portsOf(testFile: string, slot = testSlot()): PortBlock {
  const key = testFileKey(testFile);
  const spec = PORT_BLOCKS[key];
  if (spec === undefined) throw new Error(`${key} has no port block: add one to test/support/ports.ts`);
  return blockAt(spec.base + slot * SLOT_SPAN, spec.size, key);
}

/** The calling test file's namespace name prefix (pass `import.meta.url`), with the slot when not 0. */
export function netnsPrefixOf(testFile: string, slot = testSlot()): string {
  const key = testFileKey(testFile);
  const prefix = NETNS_PREFIXES[key];
  if (prefix === undefined) throw new Error(`${key} has no namespace prefix: add one to test/support/ports.ts`);
  return slot === 0 ? prefix : `${prefix}${slot}`;
}
