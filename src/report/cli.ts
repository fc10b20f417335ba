// npm run report -- out/<run-id>: rebuilds the charts and report.html of a run from its metrics.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { EXIT_OK } from '../config/exit-codes.ts';
import { strictCommandLine } from '../config/options.ts';
import { runMain } from '../config/run-main.ts';
import { writeReport } from './write-report.ts';

async function main(): Promise<number> {
  const argv = await strictCommandLine(
    yargs(hideBin(process.argv))
      .scriptName('npm run report --')
      .usage(
        '$0 [run-dir]\n\nRebuilds the charts (PNG, SVG, Vega-Lite) and report.html of a run from its metrics.ndjson.',
      )
      .command('$0 [run-dir]', false, (command) =>
        command.positional('run-dir', {
          type: 'string',
          default: 'out/latest',
          describe: 'directory of a run, e.g. out/2026-11-25T10-00-00',
        }),
      ),
  ).parseAsync();
  if (argv.help) return EXIT_OK;
  const runDir = argv['run-dir'] as string;
  const result = await writeReport(runDir);
  process.stdout.write(
    `report written to ${result.htmlPath}\n` +
      `${result.charts.length} charts (PNG, SVG, Vega-Lite) in ${runDir}\n` +
      `${result.viewers} viewer(s); ${result.skippedLines} skipped line(s)\n`,
  );
  for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
  return EXIT_OK;
}

runMain(main);
