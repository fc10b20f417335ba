// One run of the server: check inputs and ports, start the front door and one helper per
// stream, print where everything is, wait for the stop, stop everything once.
import { join } from 'node:path';
import { EXIT_FAILURE, EXIT_OK } from '../config/exit-codes.ts';
import type { ServeOptions } from '../config/options.ts';
import { startFrontDoor, type FrontDoor, type MountLookup } from '../front-door/server.ts';
import { helperArgs } from '../helper/args.ts';
import { openNdjsonWriter } from '../metrics/ndjson-writer.ts';
import { createRunDir } from '../metrics/run-dir.ts';
import { planStreams } from '../streams/plan.ts';
import { spawnHelper } from '../supervisor/helper-process.ts';
import { findTakenPorts } from '../supervisor/ports.ts';
import { StreamSupervisor } from '../supervisor/stream-supervisor.ts';
import { createLog } from '../ui/log.ts';
import { formatStreamTable } from '../ui/stream-table.ts';
import { selectInputs } from './inputs.ts';
import { reachableHost } from './reachable-host.ts';
import { waitForStop } from './stop-signal.ts';
import { waitUntilSettled } from './startup.ts';

const STARTUP_TIMEOUT_MS = 20_000;

export async function serve(options: ServeOptions): Promise<number> {
  const log = createLog(options);
  const { files, usable } = await selectInputs(options.videos, log);
  if (!usable.includes(true)) {
    log.error('no playable video among the inputs; give files with a video stream via --videos');
    return EXIT_FAILURE;
  }
  const streams = planStreams(files, usable, options);
  const taken = await findTakenPorts(options.host, [options.port, ...streams.map((stream) => stream.helperPort)]);
  if (taken.length > 0) {
    const list = taken.map(({ port, code }) => `${port} (${code})`).join(', ');
    log.error(`port(s) ${list} on ${options.host} cannot be used; choose others with --port / --helper-ports`);
    return EXIT_FAILURE;
  }

  const startedAt = new Date();
  const runDir = createRunDir(options.outDir, startedAt);
  const recorder = openNdjsonWriter(join(runDir, 'metrics.ndjson'), { onError: (error) => log.error(error.message) });
  const elapsedMs = (): number => Date.now() - startedAt.getTime();
  recorder.append({ type: 'header', version: 1, started_at: startedAt.toISOString(), options, streams });

  const format = { width: options.width, height: options.height, fps: options.fps };
  const supervisors = streams.map(
    (stream) =>
      new StreamSupervisor({
        stream,
        args: helperArgs(stream, options.host, format),
        spawn: spawnHelper,
        onEvent: (event) => recorder.append({ t_ms: elapsedMs(), stream: stream.name, ...event }),
        onStateChange: (state) => recorder.append({ t_ms: elapsedMs(), stream: stream.name, type: 'state', state }),
        onWarning: (message) => log.warn(message),
      }),
  );
  const byName = new Map(supervisors.map((supervisor) => [supervisor.stream.name, supervisor]));
  const lookupMount: MountLookup = (name) => {
    const supervisor = byName.get(name);
    if (!supervisor) return undefined;
    const { state } = supervisor;
    switch (state.kind) {
      case 'running':
        return { state: 'up', helperPort: supervisor.stream.helperPort };
      case 'restarting':
        return { state: 'restarting', retryAfterMs: Math.max(0, state.retryAtMs - Date.now()) };
      case 'starting':
        return { state: 'restarting' };
      case 'failed':
      case 'stopped':
        return { state: 'failed' };
    }
  };

  let frontDoor: FrontDoor | undefined;
  try {
    frontDoor = await startFrontDoor({ host: options.host, port: options.port, lookupMount });
    for (const supervisor of supervisors) supervisor.start();
    await waitUntilSettled(supervisors, STARTUP_TIMEOUT_MS);
    const urlHost = reachableHost(options.host);
    const rows = supervisors.map(({ stream, state }) => ({ stream, state }));
    process.stdout.write(
      `RTSP server ready on rtsp://${urlHost}:${options.port} (helpers on ports ${streams[0]!.helperPort}..${streams.at(-1)!.helperPort}); metrics in ${runDir}\n` +
        `${formatStreamTable(rows, { ...options, urlHost })}\n`,
    );
    const reason = await waitForStop(options.durationS);
    log.info(`stopping (${reason})`);
    return EXIT_OK;
  } finally {
    await frontDoor?.close();
    await Promise.all(supervisors.map((supervisor) => supervisor.stop()));
    recorder.append({ type: 'end', t_ms: elapsedMs() });
    recorder.close();
  }
}
