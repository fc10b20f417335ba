// An emulated link: two network namespaces joined by a veth pair, with a tbf token bucket on the
// server-to-client direction (this kernel has tbf, not netem). Needs root. The namespaces are
// private test hosts: traffic never leaves this machine.
import { execa } from 'execa';

export interface LinkOptions {
  /** Short unique name; namespaces are `<name>-srv` and `<name>-cli`. */
  name: string;
  /** Third octet of the 10.213.X.0/30 subnet of this link, 0..255. */
  subnet: number;
  rateKbit: number;
  /** How long the bottleneck's queue may be, in ms of traffic at `rateKbit`. */
  queueMs: number;
}

export interface Link {
  serverNs: string;
  clientNs: string;
  serverAddress: string;
  clientAddress: string;
  setRate(rateKbit: number): Promise<void>;
  remove(): Promise<void>;
}

export async function ip(...args: string[]): Promise<void> {
  await execa('ip', args);
}

/** `tc` arguments (without `-n NS`) that add or change the root tbf of `device`. */
export function tbfArgs(device: string, rateKbit: number, queueMs: number, verb: 'add' | 'change'): string[] {
  // burst: at least one MTU-sized packet plus a little, so the rate is smooth but reachable.
  const burstBytes = Math.max(4_000, Math.round((rateKbit * 1000) / 8 / 250));
  return [
    'qdisc',
    verb,
    'dev',
    device,
    'root',
    'tbf',
    'rate',
    `${rateKbit}kbit`,
    'burst',
    String(burstBytes),
    'latency',
    `${queueMs}ms`,
  ];
}

export async function createLink(options: LinkOptions): Promise<Link> {
  const serverNs = `${options.name}-srv`;
  const clientNs = `${options.name}-cli`;
  const serverAddress = `10.213.${options.subnet}.1`;
  const clientAddress = `10.213.${options.subnet}.2`;
  const serverDevice = `${options.name}-s`;
  const clientDevice = `${options.name}-c`;
  const remove = async (): Promise<void> => {
    await execa('ip', ['netns', 'del', serverNs], { reject: false });
    await execa('ip', ['netns', 'del', clientNs], { reject: false });
  };
  await remove();
  try {
    await ip('netns', 'add', serverNs);
    await ip('netns', 'add', clientNs);
    await ip(
      'link',
      'add',
      serverDevice,
      'netns',
      serverNs,
      'type',
      'veth',
      'peer',
      'name',
      clientDevice,
      'netns',
      clientNs,
    );
    for (const [ns, device, address] of [
      [serverNs, serverDevice, serverAddress],
      [clientNs, clientDevice, clientAddress],
    ] as const) {
      await ip('-n', ns, 'addr', 'add', `${address}/30`, 'dev', device);
      await ip('-n', ns, 'link', 'set', device, 'up');
      await ip('-n', ns, 'link', 'set', 'lo', 'up');
    }
    await execa('tc', ['-n', serverNs, ...tbfArgs(serverDevice, options.rateKbit, options.queueMs, 'add')]);
  } catch (error) {
    await remove();
    throw error;
  }
  return {
    serverNs,
    clientNs,
    serverAddress,
    clientAddress,
    setRate: async (rateKbit) => {
      await execa('tc', ['-n', serverNs, ...tbfArgs(serverDevice, rateKbit, options.queueMs, 'change')]);
    },
    remove,
  };
}
