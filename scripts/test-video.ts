// npm run test-video -- OUT.mp4 [--seconds N] [--width W] [--height H] [--fps F]
// Writes a clip whose every frame carries its number (docs/test-video.md).
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { generateTestVideo } from '../src/stamp/test-video.ts';

const argv = await yargs(hideBin(process.argv))
  .scriptName('npm run test-video --')
  .usage(
    '$0 OUT.mp4 [options]\n\nA clip for measuring what a viewer sees: moving content, each frame stamped with its number.',
  )
  .demandCommand(1, 1, 'give one output file', 'give one output file')
  .options({
    seconds: { type: 'number', default: 60, describe: 'length' },
    width: { type: 'number', default: 640, describe: 'pixels (even)' },
    height: { type: 'number', default: 480, describe: 'pixels (even)' },
    fps: { type: 'number', default: 30, describe: 'frames per second' },
  })
  .check((args) => {
    for (const name of ['seconds', 'width', 'height', 'fps'] as const) {
      if (!Number.isInteger(args[name]) || args[name] <= 0)
        throw new Error(`--${name} must be a whole number above 0, got ${args[name]}`);
    }
    if (args.width % 2 !== 0 || args.height % 2 !== 0 || args.width < 80 || args.height < 64)
      throw new Error('--width and --height must be even, at least 80x64');
    return true;
  })
  .strict()
  .help()
  .parseAsync();

const out = String(argv._[0]);
await generateTestVideo({ out, seconds: argv.seconds, width: argv.width, height: argv.height, fps: argv.fps });
console.log(
  `wrote ${out}: ${argv.seconds} s of ${argv.width}x${argv.height} at ${argv.fps} fps, ${argv.seconds * argv.fps} stamped frames`,
);
