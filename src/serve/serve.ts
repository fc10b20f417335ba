// One run of the server: check inputs and ports, start the front door and one helper per
// stream, print where everything is, wait for the stop, stop everything once.
import { EXIT_FAILURE, EXIT_OK } from '../config/exit-codes.ts';
import type { ServeOptions } from '../config/options.ts';
import { startFrontDoor, type FrontDoor, type FrontDoorLimits } from '../front-door/server.ts';
import { helperArgs, helperAuthEnv } from '../helper/args.ts';
import { newAuthKey } from '../front-door/digest.ts';
import { createRunDir } from '../metrics/run-dir.ts';
import { StreamControl } from '../control/stream-control.ts';
import { StreamFeedback } from '../feedback/stream-feedback.ts';
import { planStreams, type StreamSpec } from '../streams/plan.ts';
import { spawnHelper } from '../supervisor/helper-process.ts';
import { findTakenPorts } from '../supervisor/ports.ts';
import { DEFAULT_RESTART_POLICY, RestartPolicy } from '../supervisor/restart-policy.ts';
import { StreamSupervisor } from '../supervisor/stream-supervisor.ts';
import { createLog, type Log } from '../ui/log.ts';
import { formatStreamTable } from '../ui/stream-table.ts';
import { startLiveStatus } from '../ui/live-status.ts';
import { writeReport } from '../report/write-report.ts';
import { RunMetrics } from './run-metrics.ts';
import { selectInputs } from './inputs.ts';
import { mountLookup } from './mount-lookup.ts';
import { reachableHost } from './reachable-host.ts';
import { waitForStop } from './stop-signal.ts';
import { waitUntilSettled } from './startup.ts';
import { watchInputs } from './input-watch.ts';
import { startHttpSide } from './http-side.ts';
import type { HttpServer } from '../http/server.ts';
import { urlHostPart } from '../ui/stream-table.ts';

const STARTUP_TIMEOUT_MS = 20_000;
/** The front door's counters reach metrics.ndjson this often when they change (a flood makes one record a second). */
const FRONT_DOOR_RECORD_MS = 1_000;
const MAX_HEADER_TIMEOUT_MS = 10_000;

function frontDoorLimits(options: ServeOptions): Partial<FrontDoorLimits> {
  const idleTimeoutMs = options.idleTimeoutS * 1000;
  return { idleTimeoutMs, headerTimeoutMs: Math.min(idleTimeoutMs, MAX_HEADER_TIMEOUT_MS), maxConnections: options.maxConnections };
}

function controlOf(stream: StreamSpec, options: ServeOptions, metrics: RunMetrics, supervisor: () => StreamSupervisor): StreamControl {
  const recorder = metrics.recorders.get(stream.name)!;
  return new StreamControl({
    config: { minKbps: options.minBitrateKbps, maxKbps: options.maxBitrateKbps, startKbps: stream.startBitrateKbps },
    clock: metrics.clock,
    send: (command) => supervisor().send(command),
    onDecision: (decision) => recorder.onControl(decision),
  });
}

/** Charts and report.html from the closed metrics; a failure is logged, never thrown (the metrics are safe). */
async function writeReportAtStop(runDir: string, log: Log): Promise<void> {
  try {
    await writeReport(runDir);
    log.info(`charts and report written to ${runDir}/report.html`);
  } catch (error) {
    log.error(`could not write the report of ${runDir} (the metrics are kept; retry with npm run report -- ${runDir}): ${error instanceof Error ? error.message : String(error)}`);
  }
}

export async function serve(options: ServeOptions): Promise<number> {
  const log = createLog(options);
  const { files, usable } = await selectInputs(options.videos, log);
  if (!usable.includes(true)) {
    log.error('no playable video among the inputs; give files with a video stream via --videos');
    return EXIT_FAILURE;
  }
  const streams = planStreams(files, usable, options);
  const httpPorts = options.httpPort === 0 ? [] : [options.httpPort];
  const taken = await findTakenPorts(options.host, [options.port, ...streams.map((stream) => stream.helperPort), ...httpPorts]);
  if (taken.length > 0) {
    const list = taken.map(({ port, code }) => `${port} (${code})`).join(', ');
    log.error(`port(s) ${list} on ${options.host} cannot be used; choose others with --port / --helper-ports / --http`);
    return EXIT_FAILURE;
  }

  const runDir = createRunDir(options.outDir, new Date());
  const metrics = new RunMetrics(runDir, options, streams, log);
  const format = { width: options.width, height: options.height, fps: options.fps };
  const credentials = options.auth && { ...options.auth, key: newAuthKey() };
  const env = { GST_DEBUG: options.gstDebug, GST_DEBUG_NO_COLOR: '1', ...helperAuthEnv(credentials) };
  const limits = { sessionTimeoutS: options.sessionTimeoutS, maxViewers: options.maxViewers, idleTimeoutS: options.idleTimeoutS, maxConnections: options.maxConnections };
  const supervisors = streams.map((stream) => {
    const recorder = metrics.recorders.get(stream.name)!;
    const control = stream.mode === 'dynamic' ? controlOf(stream, options, metrics, () => supervisor) : undefined;
    const feedback = new StreamFeedback();
    const supervisor: StreamSupervisor = new StreamSupervisor({
      stream,
      args: helperArgs(stream, options.host, format, limits, options.dynamicTransport, credentials),
      policy: new RestartPolicy({ ...DEFAULT_RESTART_POLICY, maxDelayMs: options.restartMaxDelayS * 1000 }),
      spawn: (args, callbacks) => spawnHelper(args, callbacks, { env }),
      onEvent: (event) => {
        for (const checked of feedback.accept(event)) {
          recorder.onEvent(checked);
          control?.onEvent(checked);
        }
      },
      onStateChange: ({ kind, ...detail }) => {
        recorder.onState(kind, detail);
        if (kind !== 'running') control?.onHelperGone();
      },
      onWarning: (message) => {
        log.warn(message);
        metrics.recordSupervisorWarning(stream.name, message);
      },
      onBadLine: (failure) => {
        if (recorder.onBadLine(failure)) log.warn(`${stream.name}: helper wrote a bad record (${failure.kind}: ${failure.detail}); such lines are counted in the metrics`);
      },
      onStderrLine: (line) => metrics.recordLog(stream.name, line),
    });
    return supervisor;
  });
  const lookupMount = mountLookup(supervisors);

  let frontDoor: FrontDoor | undefined;
  let http: HttpServer | undefined;
  let frontDoorRecords: NodeJS.Timeout | undefined;
  const stopWatchingInputs = watchInputs(streams, (stream, message) => {
    log.warn(message);
    metrics.recordSupervisorWarning(stream.name, message);
  });
  try {
    frontDoor = await startFrontDoor({ host: options.host, port: options.port, lookupMount, limits: frontDoorLimits(options), credentials });
    const door = frontDoor;
    frontDoorRecords = setInterval(() => metrics.recordFrontDoor(door.counters()), FRONT_DOOR_RECORD_MS);
    for (const supervisor of supervisors) supervisor.start();
    await waitUntilSettled(supervisors, STARTUP_TIMEOUT_MS);
    const urlHost = reachableHost(options.host);
    http = await startHttpSide({ options, supervisors, metrics, frontDoor: door, credentials, urlHost });
    const web = http ? `dashboard on http://${urlHostPart(urlHost)}:${http.address.port}/ (Prometheus: /metrics, API: /api/v1/streams)\n` : '';
    const rows = supervisors.map(({ stream, state }) => ({ stream, state }));
    const access = options.auth ? `; viewers authenticate as ${options.auth.user} (Digest${options.auth.basic ? ' or Basic' : ''})` : '';
    process.stdout.write(
      `RTSP server ready on rtsp://${urlHost}:${options.port} (helpers on ports ${streams[0]!.helperPort}..${streams.at(-1)!.helperPort})${access}; metrics in ${runDir}\n` +
        web +
        `${formatStreamTable(rows, { ...options, urlHost })}\n`,
    );
    const stopStatus = startLiveStatus(
      () => supervisors.map(({ stream }) => metrics.recorders.get(stream.name)!.status()),
      () => metrics.elapsedS(),
      options,
    );
    const reason = await waitForStop(options.durationS);
    stopStatus();
    log.info(`stopping (${reason})`);
    return EXIT_OK;
  } finally {
    stopWatchingInputs();
    clearInterval(frontDoorRecords);
    await http?.close();
    await frontDoor?.close();
    await Promise.all(supervisors.map((supervisor) => supervisor.stop()));
    if (frontDoor) metrics.recordFrontDoor(frontDoor.counters());
    metrics.close();
    log.info(`metrics and summary written to ${runDir}`);
    await writeReportAtStop(runDir, log);
  }
}
