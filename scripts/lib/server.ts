// Runs the real CLI (`node --import tsx src/cli.ts`) as a child: for benches and end-to-end tests.
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import { setTimeout as sleep } from 'node:timers/promises';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface RunningServer {
  process: ResultPromise<{ cwd: string; reject: false; all: true }>;
  /** Everything printed so far, stdout and stderr interleaved. */
  output(): string;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

export interface StartOptions {
  /** Run the server inside this network namespace (`ip netns exec`, which execs: the pid is node's). */
  netns?: string;
  /** Variables added to the environment of the server (and so of its helpers and probes). */
  env?: Record<string, string>;
}

/** The HTTP side is off unless asked for: servers of tests and benches run side by side, and 8080 may be anyone's. */
function withHttpOff(args: readonly string[]): string[] {
  return args.includes('--http') ? [...args] : [...args, '--http', '0'];
}

export function startServer(args: readonly string[], options: StartOptions = {}): RunningServer {
  const command = [
    ...(options.netns ? ['ip', 'netns', 'exec', options.netns] : []),
    'node',
    '--import',
    'tsx',
    'src/cli.ts',
    ...withHttpOff(args),
  ];
  const child = execa(command[0]!, command.slice(1), { cwd: REPO_ROOT, reject: false, all: true, env: options.env });
  let output = '';
  child.all?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return {
    process: child,
    output: () => output,
    async waitForOutput(pattern, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(output)) {
        if (Date.now() > deadline || child.exitCode !== null) {
          throw new Error(`server output did not match ${pattern} (exit code ${child.exitCode}):\n${output}`);
        }
        await sleep(50);
      }
      return output;
    },
  };
}

/** Runs the CLI to completion. */
export function runCli(args: readonly string[], timeoutMs = 60_000) {
  return execa('node', ['--import', 'tsx', 'src/cli.ts', ...withHttpOff(args)], {
    cwd: REPO_ROOT,
    reject: false,
    all: true,
    timeout: timeoutMs,
  });
}
