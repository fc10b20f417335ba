export class BootstrapError extends Error {
  constructor(facts: {
    step: string;
    command?: string;
    exitCode?: number | null;
    signal?: string | null;
    detail?: string;
  });
  step: string;
  command: string | undefined;
  exitCode: number | undefined;
  signal: string | undefined;
}
export function formatCommand(argv: readonly string[]): string;
export function say(message: string): void;
export function run(step: string, argv: readonly string[], options?: { cwd?: string; env?: NodeJS.ProcessEnv }): void;
export function ask(
  argv: readonly string[],
  options?: { cwd?: string },
): { status: number | null; signal: string | null; error?: Error };
