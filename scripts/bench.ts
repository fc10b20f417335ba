// npm run bench: static and dynamic mounts through emulated bottlenecks. Needs root.
//   npm run bench [-- --schedule 0:1000,40:2500,60:600,80:1000 --duration 100 --transport both --source file]
//   npm run bench -- --client chromium --transport udp    (a browser over WHEP as the viewer)
// One catch at the edge; Ctrl+C/SIGTERM tear everything down once, then exit.
import { hideBin } from 'yargs/helpers';
import { EXIT_OK } from '../src/config/exit-codes.ts';
import { runMain } from '../src/config/run-main.ts';
import { buildBenchParser, normalizeBenchOptions } from './bench/options.ts';
import { browserTable, notMeasuredLines, resultsTable } from './bench/results.ts';
import { runBench } from './bench/run.ts';
import { Teardown } from './bench/teardown.ts';

const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

async function main(argv: string[]): Promise<number> {
  const raw = await buildBenchParser(argv).parseAsync();
  if (raw.help) return EXIT_OK;
  const options = normalizeBenchOptions({
    schedule: raw.schedule,
    duration: raw.duration,
    video: raw.video,
    source: raw.source,
    transport: raw.transport,
    client: raw.client,
    dynamicTransport: raw['dynamic-transport'],
    out: raw.out,
  });
  if (process.getuid?.() !== 0) {
    throw new Error(
      'npm run bench needs root: it creates network namespaces, veth pairs and tbf queues (run it as root, e.g. sudo npm run bench)',
    );
  }
  const teardown = new Teardown((message) => console.error(message));
  let stopping = false;
  for (const signal of Object.keys(SIGNAL_EXIT) as NodeJS.Signals[]) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      console.error(`${signal}: stopping the clients and servers, removing the namespaces...`);
      void teardown.run().finally(() => process.exit(SIGNAL_EXIT[signal]));
    });
  }
  const run = await runBench({ ...options, teardown });
  console.log('');
  for (const line of resultsTable(run.results.variants)) console.log(line);
  const browsers = browserTable(run.results.variants);
  if (browsers.length > 0)
    console.log(`\nwhat the browsers saw (getStats, from time 0 to their stop):\n${browsers.join('\n')}`);
  for (const line of notMeasuredLines(run.results.variants)) console.log(line);
  console.log(`\nresults: ${run.resultsPath}`);
  return EXIT_OK;
}

runMain(() => main(hideBin(process.argv)));
