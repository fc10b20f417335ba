// Messages for people, on stderr; stdout carries the stream table.
export interface Log {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

function stamp(): string {
  return new Date().toISOString().slice(11, 19);
}

export function createLog({ quiet }: { quiet: boolean }): Log {
  return {
    info: (message) => {
      if (!quiet) process.stderr.write(`${stamp()} ${message}\n`);
    },
    warn: (message) => {
      if (!quiet) process.stderr.write(`${stamp()} warning: ${message}\n`);
    },
    error: (message) => process.stderr.write(`${stamp()} error: ${message}\n`),
  };
}
