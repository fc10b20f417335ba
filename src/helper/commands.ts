// Commands written to a helper's stdin, one per line (docs/protocol.md).
/** `bitrate` sets one encoder (`encoder`), or without it every encoder and those to come. */
export type HelperCommand = { name: 'bitrate'; kbps: number; encoder?: number } | { name: 'memory' } | { name: 'quit' };

export const MAX_BITRATE_KBPS = 2_048_000;

export function formatCommand(command: HelperCommand): string {
  switch (command.name) {
    case 'bitrate': {
      if (!Number.isInteger(command.kbps) || command.kbps < 1 || command.kbps > MAX_BITRATE_KBPS) {
        throw new RangeError(`bitrate must be an integer 1..${MAX_BITRATE_KBPS} kbit/s, got ${command.kbps}`);
      }
      if (command.encoder !== undefined && (!Number.isInteger(command.encoder) || command.encoder < 1)) {
        throw new RangeError(`encoder must be a positive integer, got ${command.encoder}`);
      }
      return command.encoder === undefined
        ? `bitrate ${command.kbps}\n`
        : `bitrate ${command.kbps} ${command.encoder}\n`;
    }
    case 'memory':
      return 'memory\n';
    case 'quit':
      return 'quit\n';
  }
}
