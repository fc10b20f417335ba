// The bench network: ONE server namespace and, per variant, a client namespace joined to it by
// its own veth pair, with a tbf bottleneck on the server-side device (server → client). All
// links share one rate, changed together. Needs root; nothing leaves this machine.
import { execa } from 'execa';
import { ip, tbfArgs } from '../lib/netns.ts';

export interface BenchLink {
  variant: string;
  clientNs: string;
  /** tbf sits on this device, in the server namespace. */
  serverDevice: string;
  serverAddress: string;
  clientAddress: string;
}

export interface Topology {
  serverNs: string;
  links: BenchLink[];
  /** Changes every link's rate at once; resolves with when each link's change was in effect (ms since the epoch). */
  setRate(kbps: number): Promise<number[]>;
  /** Deletes every namespace (and so every veth); safe to call twice. */
  remove(): Promise<void>;
}

export interface TopologyOptions {
  /** Short name prefix (≤ 8 characters, device names are limited to 15). */
  prefix: string;
  variants: readonly string[];
  /** Every link's rate, or one per link. */
  rateKbps: number | readonly number[];
  queueMs: number;
}

/** 10.214.<i>.0/30 per link: namespaces have their own stacks, so runs never collide on addresses. */
function linkOf(prefix: string, variant: string, i: number): BenchLink {
  return {
    variant,
    clientNs: `${prefix}-cli${i}`,
    serverDevice: `${prefix}-s${i}`,
    serverAddress: `10.214.${i}.1`,
    clientAddress: `10.214.${i}.2`,
  };
}

export function namespacesOf(prefix: string, count: number): string[] {
  return [`${prefix}-srv`, ...Array.from({ length: count }, (_, i) => `${prefix}-cli${i}`)];
}

export async function createTopology(options: TopologyOptions): Promise<Topology> {
  if (!/^[a-z0-9]{1,8}$/.test(options.prefix))
    throw new TypeError(`createTopology: prefix must be 1..8 of a-z0-9, got ${JSON.stringify(options.prefix)}`);
  const serverNs = `${options.prefix}-srv`;
  const links = options.variants.map((variant, i) => linkOf(options.prefix, variant, i));
  const remove = async (): Promise<void> => {
    for (const ns of namespacesOf(options.prefix, links.length))
      await execa('ip', ['netns', 'del', ns], { reject: false });
  };
  await remove(); // leftovers of a run that was SIGKILLed
  try {
    await ip('netns', 'add', serverNs);
    await ip('-n', serverNs, 'link', 'set', 'lo', 'up');
    for (const [i, link] of links.entries()) {
      const clientDevice = `${options.prefix}-c${i}`;
      await ip('netns', 'add', link.clientNs);
      await ip('-n', link.clientNs, 'link', 'set', 'lo', 'up');
      await ip(
        'link',
        'add',
        link.serverDevice,
        'netns',
        serverNs,
        'type',
        'veth',
        'peer',
        'name',
        clientDevice,
        'netns',
        link.clientNs,
      );
      for (const [ns, device, address] of [
        [serverNs, link.serverDevice, link.serverAddress],
        [link.clientNs, clientDevice, link.clientAddress],
      ] as const) {
        await ip('-n', ns, 'addr', 'add', `${address}/30`, 'dev', device);
        await ip('-n', ns, 'link', 'set', device, 'up');
      }
      const rateKbps = typeof options.rateKbps === 'number' ? options.rateKbps : options.rateKbps[i]!;
      await execa('tc', ['-n', serverNs, ...tbfArgs(link.serverDevice, rateKbps, options.queueMs, 'add')]);
    }
  } catch (error) {
    await remove();
    throw error;
  }
  return {
    serverNs,
    links,
    setRate: (kbps) =>
      Promise.all(
        links.map(async (link) => {
          await execa('tc', ['-n', serverNs, ...tbfArgs(link.serverDevice, kbps, options.queueMs, 'change')]);
          return Date.now();
        }),
      ),
    remove,
  };
}
