// npm run bench:viewers: one dynamic mount, two rtspsrc viewers through their own links, with an
// encoder per viewer and then with one shared encoder. Needs root.
//   npm run bench:viewers [-- --links 3000,800 --duration 60 --settle 20 --encoders 8]
import { resolve } from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { DEFAULT_ENCODERS_PER_VIDEO, strictCommandLine } from '../src/config/options.ts';
import { UsageError } from '../src/config/usage-error.ts';
import { EXIT_OK } from '../src/config/exit-codes.ts';
import { runMain } from '../src/config/run-main.ts';
import { ensureStampedSample } from '../src/stamp/stamped-sample.ts';
import { Teardown } from './bench/teardown.ts';
import { runViewersBench, VIEWER_MODES, viewersTable, type ViewerMode } from './bench/viewers.ts';
import { REPO_ROOT } from './lib/server.ts';

function linkRates(raw: string): number[] {
  const rates = raw.split(',').map(Number);
  if (rates.length < 2 || rates.some((kbps) => !Number.isInteger(kbps) || kbps < 100 || kbps > 100_000)) {
    throw new UsageError(
      `--links must be two or more whole kbit/s from 100 to 100000, comma-separated, got ${JSON.stringify(raw)}`,
    );
  }
  return rates;
}

async function main(argv: string[]): Promise<number> {
  const raw = await strictCommandLine(
    yargs(argv)
      .scriptName('npm run bench:viewers --')
      .usage(
        '$0 [options]\n\nOne dynamic mount, one rtspsrc viewer per link, per-viewer encoders then one shared encoder. Needs root.',
      )
      .options({
        links: { type: 'string', default: '3000,800', describe: "each viewer's link, kbit/s" },
        duration: { type: 'number', default: 60, describe: 'seconds of play per mode' },
        settle: {
          type: 'number',
          default: 20,
          describe: 'seconds at the start of each play the figures leave out (the climb from the start bitrate)',
        },
        queue: { type: 'number', default: 300, describe: 'bottleneck queue, ms of traffic' },
        encoders: {
          type: 'number',
          default: DEFAULT_ENCODERS_PER_VIDEO,
          describe: "the per-viewer mode's --encoders-per-video",
        },
        mode: { type: 'string', default: 'both', choices: [...VIEWER_MODES, 'both'] },
        video: { type: 'string', describe: 'video to serve (default: the stamped sample, which fills any bitrate)' },
        out: { type: 'string', default: 'out' },
      }),
  ).parseAsync();
  if (raw.help) return EXIT_OK;
  if (!(raw.settle >= 0 && raw.settle < raw.duration))
    throw new UsageError(`--settle must be from 0 to under --duration, got ${raw.settle}`);
  if (process.getuid?.() !== 0)
    throw new Error('npm run bench:viewers needs root: it creates network namespaces, veth pairs and tbf queues');
  const teardown = new Teardown((message) => console.error(message));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void teardown.run().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143)));
  }
  const video =
    raw.video === undefined
      ? await ensureStampedSample(resolve(REPO_ROOT, 'videos'), (file) => console.log(`generating ${file}`))
      : resolve(raw.video);
  const modes: ViewerMode[] = raw.mode === 'both' ? [...VIEWER_MODES] : [raw.mode as ViewerMode];
  const run = await runViewersBench({
    video,
    durationS: raw.duration,
    settleS: raw.settle,
    linksKbps: linkRates(raw.links),
    queueMs: raw.queue,
    encoders: raw.encoders,
    modes,
    outDir: raw.out,
    teardown,
  });
  console.log('');
  for (const line of viewersTable(run.results)) console.log(line);
  console.log(`\nresults: ${run.resultsPath}`);
  return EXIT_OK;
}

runMain(() => main(hideBin(process.argv)));
