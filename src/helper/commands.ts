// Commands written to a helper's stdin, one per line (docs/protocol.md).
/** `bitrate` sets one encoder (`encoder`), or without it every encoder and those to come. */
/** `whep-offer` hands a browser's SDP offer to the helper (base64 on the line), `whep-close` ends that session. */
export type HelperCommand =
  | { name: 'bitrate'; kbps: number; encoder?: number }
  | { name: 'whep-offer'; session: string; mount: string; address: string; sdp: string; userAgent?: string }
  | { name: 'whep-close'; session: string }
  | { name: 'memory' }
  | { name: 'quit' };

/** A WHEP session's token: what the helper accepts (letters, digits, - and _; at most 64). */
export const SESSION_TOKEN = /^[A-Za-z0-9_-]{1,64}$/;

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

function checkSession(session: string): void {
  if (!SESSION_TOKEN.test(session)) throw new RangeError(`bad WHEP session token ${JSON.stringify(session)}`);
}

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
    case 'whep-offer': {
      checkSession(command.session);
      if (!command.mount.startsWith('/') || /\s/.test(command.mount) || /\s/.test(command.address))
        throw new RangeError(`bad WHEP mount or address ${command.mount} ${command.address}`);
      const agent = command.userAgent ? ` ${base64(command.userAgent)}` : '';
      return `whep-offer ${command.session} ${command.mount} ${command.address} ${base64(command.sdp)}${agent}\n`;
    }
    case 'whep-close':
      checkSession(command.session);
      return `whep-close ${command.session}\n`;
    case 'memory':
      return 'memory\n';
    case 'quit':
      return 'quit\n';
  }
}
