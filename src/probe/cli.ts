// npm run probe -- URL [--transport auto|udp|tcp] [--client rtspsrc|ffmpeg] [--seconds N]
//   [--reference FILE] [--frames FILE] [--json]
// Watches an RTSP stream as a viewer and reports what it saw (docs/probe.md).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { EXIT_FAILURE, EXIT_OK } from '../config/exit-codes.ts';
import { strictCommandLine } from '../config/options.ts';
import { UsageError } from '../config/usage-error.ts';
import { runMain } from '../config/run-main.ts';
import { runId } from '../metrics/run-dir.ts';
import { runProbe } from './probe.ts';
import { PROBE_CLIENTS, PROBE_TRANSPORTS, summaryText, type ProbeClientKind, type ProbeTransport } from './summary.ts';

async function main(): Promise<number> {
  const argv = await strictCommandLine(
    yargs(hideBin(process.argv))
      .scriptName('npm run probe --')
      .usage(
        '$0 URL [options]\n\nPlays an RTSP stream as a viewer and reports end-to-end delay, stalls, frames shown and picture quality.',
      )
      .command('$0 <url>', false, (command) =>
        command.positional('url', { type: 'string', describe: 'rtsp://host:port/path' }),
      )
      .options({
        transport: {
          type: 'string',
          choices: [...PROBE_TRANSPORTS],
          // A dynamic mount refuses UDP to FFmpeg (461): auto plays every mount with either client.
          default: 'auto',
          describe:
            "RTP over UDP, interleaved in the RTSP connection (tcp), or the client's own choice (auto: UDP, TCP if refused)",
        },
        client: {
          type: 'string',
          choices: [...PROBE_CLIENTS],
          default: 'rtspsrc',
          describe: 'decoder underneath: GStreamer rtspsrc (e2e delay from sender reports) or FFmpeg',
        },
        seconds: { type: 'number', default: 10, describe: 'how long to watch; 0 = until the stream ends or Ctrl+C' },
        reference: {
          type: 'string',
          describe: 'the clip the server serves (stamped, from npm run test-video): SSIM and PSNR per frame',
        },
        'score-every': {
          type: 'number',
          default: 1,
          describe: 'SSIM and PSNR on every Nth frame only (1: every frame), to spare CPU',
        },
        frames: { type: 'string', describe: 'per-frame records (NDJSON); default out/probe-<time>.ndjson' },
        json: { type: 'boolean', default: false, describe: 'print the summary as one JSON object' },
      })
      .check((args) => {
        if (!/^rtsps?:\/\//i.test(String(args.url)))
          throw new UsageError(`URL must start with rtsp://, got ${JSON.stringify(args.url)}`);
        if (!Number.isFinite(args.seconds) || args.seconds < 0)
          throw new UsageError(`--seconds must be 0 or more, got ${args.seconds}`);
        if (!Number.isInteger(args['score-every']) || args['score-every'] < 1)
          throw new UsageError(`--score-every must be a whole number from 1, got ${args['score-every']}`);
        return true;
      }),
  ).parseAsync();
  if (argv.help) return EXIT_OK;

  const framesPath = argv.frames ?? `out/probe-${runId(new Date())}.ndjson`;
  mkdirSync(dirname(framesPath), { recursive: true });
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const summary = await runProbe({
    url: argv.url as string,
    client: argv.client as ProbeClientKind,
    transport: argv.transport as ProbeTransport,
    ...(argv.seconds > 0 ? { seconds: argv.seconds } : {}),
    ...(argv.reference !== undefined ? { reference: argv.reference } : {}),
    scoreEvery: argv['score-every'],
    framesPath,
    signal: stop.signal,
    warn: (line) => console.error(`warning: ${line}`),
  });
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  if (argv.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else process.stdout.write(`${[...summaryText(summary), `  per-frame records: ${framesPath}`].join('\n')}\n`);
  return summary.frames_decoded > 0 ? EXIT_OK : EXIT_FAILURE;
}

runMain(main);
