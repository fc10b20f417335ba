// The one catch at a command's edge: a usage error prints the hint to --help and exits 2, any
// other error its message and 1; otherwise the command's own exit code.
import { EXIT_FAILURE, EXIT_USAGE } from './exit-codes.ts';
import { UsageError } from './usage-error.ts';

export function runMain(main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof UsageError) {
        console.error(`error: ${error.message}\nRun with --help for the options.`);
        process.exitCode = EXIT_USAGE;
        return;
      }
      console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = EXIT_FAILURE;
    },
  );
}
