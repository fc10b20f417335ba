// Commands written to a helper's stdin, one per line (docs/protocol.md).
export type HelperCommand = { name: 'bitrate'; kbps: number } | { name: 'quit' };

export const MAX_BITRATE_KBPS = 2_048_000;

export function formatCommand(command: HelperCommand): string {
  switch (command.name) {
    case 'bitrate': {
      if (!Number.isInteger(command.kbps) || command.kbps < 1 || command.kbps > MAX_BITRATE_KBPS) {
        throw new RangeError(`bitrate must be an integer 1..${MAX_BITRATE_KBPS} kbit/s, got ${command.kbps}`);
      }
      return `bitrate ${command.kbps}\n`;
    }
    case 'quit':
      return 'quit\n';
  }
}
