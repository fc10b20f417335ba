// Messages for people, on stderr; stdout carries the stream table. --quiet drops the info lines
// (progress: stopping, files written) but never a warning or an error: those are what an operator
// must act on (a helper crashed, restarting, failing or given up; a watchdog kill; a removed file),
// and a helper restarts at most once per --restart-max-delay once it keeps failing.
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
    warn: (message) => process.stderr.write(`${stamp()} warning: ${message}\n`),
    error: (message) => process.stderr.write(`${stamp()} error: ${message}\n`),
  };
}
