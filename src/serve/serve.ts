// One run of the server: check inputs and ports, start the front door and one helper per
// video (both of its mounts), print where everything is, wait for the stop, stop everything once.
import { EXIT_FAILURE, EXIT_OK } from '../config/exit-codes.ts';
import type { ServeOptions } from '../config/options.ts';
import type { ParsedLine } from '../helper/protocol.ts';
import { startFrontDoor, type FrontDoor, type FrontDoorLimits } from '../front-door/server.ts';
import { redactor } from '../config/source-uri.ts';
import { helperArgs, helperAuthEnv, helperIceEnv, helperSourceEnv } from '../helper/args.ts';
import { newAuthKey } from '../front-door/digest.ts';
import { AuthThrottle } from '../front-door/auth-throttle.ts';
import { createRunDir } from '../metrics/run-dir.ts';
import { MountControl } from '../control/mount-control.ts';
import { StreamFeedback } from '../feedback/stream-feedback.ts';
import { helpersOf, planStreams, type StreamSpec } from '../streams/plan.ts';
import { spawnHelper } from '../supervisor/helper-process.ts';
import { findTakenPorts } from '../supervisor/ports.ts';
import { DEFAULT_RESTART_POLICY, RestartPolicy } from '../supervisor/restart-policy.ts';
import { HelperSupervisor, type MountStatus } from '../supervisor/helper-supervisor.ts';
import { routeTargets } from './mount-routing.ts';
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
import { frontDoorLog } from './front-door-log.ts';
import type { HttpServer } from '../http/server.ts';
import { viewerLeft } from '../helper/events.ts';
import { WhepGateway } from '../whep/whep-gateway.ts';
import { urlHostPart } from '../ui/stream-table.ts';

const STARTUP_TIMEOUT_MS = 20_000;
/** The front door's and the HTTP side's counters reach metrics.ndjson this often when they change (a flood makes one record a second). */
const COUNTERS_RECORD_MS = 1_000;
const MAX_HEADER_TIMEOUT_MS = 10_000;

function frontDoorLimits(options: ServeOptions): Partial<FrontDoorLimits> {
  const idleTimeoutMs = options.idleTimeoutS * 1000;
  return {
    idleTimeoutMs,
    headerTimeoutMs: Math.min(idleTimeoutMs, MAX_HEADER_TIMEOUT_MS),
    maxConnections: options.maxConnections,
  };
}

function controlOf(
  stream: StreamSpec,
  options: ServeOptions,
  metrics: RunMetrics,
  supervisor: () => HelperSupervisor,
): MountControl {
  const recorder = metrics.recorders.get(stream.name)!;
  return new MountControl({
    config: { minKbps: options.minBitrateKbps, maxKbps: options.maxBitrateKbps, startKbps: stream.startBitrateKbps },
    clock: metrics.clock,
    send: (command) => supervisor().send(command),
    onDecision: (decision, encoder) => recorder.onControl(decision, encoder),
  });
}

/** Charts and report.html from the closed metrics; a failure is logged, never thrown (the metrics are safe). */
async function writeReportAtStop(runDir: string, log: Log): Promise<void> {
  try {
    await writeReport(runDir);
    log.info(`charts and report written to ${runDir}/report.html`);
  } catch (error) {
    log.error(
      `could not write the report of ${runDir} (the metrics are kept; retry with npm run report -- ${runDir}): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

export async function serve(options: ServeOptions): Promise<number> {
  const log = createLog(options);
  const picture = { size: options.size, maxSize: options.maxSize, fps: options.fps };
  const { files, sources } = await selectInputs(options.videos, picture, log);
  if (sources.every((source) => source === undefined)) {
    log.error('no playable video among the inputs; give files with a video stream via --videos');
    return EXIT_FAILURE;
  }
  const streams = planStreams(files, sources, {
    ...options,
    picture,
    audio: options.audio,
  });
  const httpPorts = options.httpPort === 0 ? [] : [options.httpPort];
  const taken = await findTakenPorts(options.host, [
    options.port,
    ...new Set(streams.map((stream) => stream.helperPort)),
    ...httpPorts,
  ]);
  if (taken.length > 0) {
    const list = taken.map(({ port, code }) => `${port} (${code})`).join(', ');
    log.error(`port(s) ${list} on ${options.host} cannot be used; choose others with --port / --helper-ports / --http`);
    return EXIT_FAILURE;
  }

  const runDir = createRunDir(options.outDir, new Date());
  const metrics = new RunMetrics(runDir, options, streams, log);
  const format = {
    fps: options.fps,
    encoderPreset: options.encoderPreset,
  };
  const credentials = options.auth && { ...options.auth, key: newAuthKey() };
  // One throttle for both doors: they ask for the same password, so a throttle each would let a
  // guesser double its rate by taking turns at the RTSP and the HTTP port.
  const auth = credentials && { credentials, throttle: new AuthThrottle() };
  const env = {
    GST_DEBUG: options.gstDebug,
    GST_DEBUG_NO_COLOR: '1',
    ...helperAuthEnv(credentials),
    ...helperIceEnv(options.iceServers),
  };
  const limits = {
    sessionTimeoutS: options.sessionTimeoutS,
    maxViewers: options.maxViewers,
    maxViewersPerAddress: options.maxViewersPerAddress,
    idleTimeoutS: options.idleTimeoutS,
    maxConnections: options.maxConnections,
  };
  // Supervisors are made below; the gateway finds a stream's when an offer comes.
  const whep = new WhepGateway((name) => {
    const supervisor = supervisors.find(({ helper }) => helper.streams.some((stream) => stream.name === name));
    const stream = supervisor?.helper.streams.find((candidate) => candidate.name === name);
    return supervisor && stream
      ? { helper: supervisor.helper.name, mount: stream.mount, send: (command) => supervisor.send(command) }
      : undefined;
  });
  const supervisors: HelperSupervisor[] = helpersOf(streams).map((helper) => {
    const mounts = new Map(
      helper.streams.map((stream) => [
        stream.mount,
        {
          recorder: metrics.recorders.get(stream.name)!,
          feedback: new StreamFeedback(),
          control: stream.mode === 'dynamic' ? controlOf(stream, options, metrics, () => supervisor) : undefined,
        },
      ]),
    );
    const first = helper.streams[0]!;
    const badLine = (failure: Extract<ParsedLine, { ok: false }>): void => {
      if (mounts.get(first.mount)!.recorder.onBadLine(failure))
        log.warn(
          `${helper.name}: helper wrote a bad record (${failure.kind}: ${failure.detail}); such lines are counted in the metrics`,
        );
    };
    const supervisor: HelperSupervisor = new HelperSupervisor({
      helper,
      args: helperArgs(
        helper,
        options.host,
        format,
        limits,
        { transport: options.dynamicTransport, encoders: options.encodersPerVideo },
        { lingerS: options.lingerS, alwaysOn: options.alwaysOn },
        { ports: options.webrtcPorts, connectTimeoutS: options.webrtcConnectTimeoutS, rtx: options.webrtcRtx },
        credentials,
      ),
      policy: new RestartPolicy({ ...DEFAULT_RESTART_POLICY, maxDelayMs: options.restartMaxDelayS * 1000 }),
      spawn: (args, callbacks) =>
        spawnHelper(args, callbacks, { env: { ...env, ...helperSourceEnv(helper) }, redact: redactor(helper.uri) }),
      onEvent: (event) => {
        if (event.type === 'whep') return whep.onReply(helper.name, event);
        if (event.type === 'client' && event.transport === 'webrtc' && viewerLeft(event.event))
          whep.onViewerLeft(helper.name, event.clientId);
        const targets = routeTargets(event, mounts);
        if (targets.length === 0)
          badLine({
            ok: false,
            kind: 'bad_field',
            detail: `${event.type} record about a mount this helper does not serve`,
            line: JSON.stringify(event),
          });
        for (const { feedback, recorder, control } of targets) {
          for (const checked of feedback.accept(event)) {
            recorder.onEvent(checked);
            control?.onEvent(checked);
          }
        }
      },
      onStateChange: (state) => {
        if (state.kind !== 'running') whep.onHelperGone(helper.name);
        for (const { recorder, control } of mounts.values()) {
          recorder.onState(state);
          if (state.kind !== 'running') control?.onHelperGone();
        }
      },
      onWarning: (message) => {
        log.warn(message);
        for (const stream of helper.streams) metrics.recordSupervisorWarning(stream.name, message);
      },
      // The helper's own lines: counted, and logged, with its first mount.
      onBadLine: badLine,
      onStderrLine: (line) => metrics.recordLog(first.name, line),
    });
    return supervisor;
  });
  const mountStates = supervisors.flatMap((supervisor) =>
    supervisor.helper.streams.map((stream): MountStatus => ({
      stream,
      get state() {
        return supervisor.state;
      },
    })),
  );
  const lookupMount = mountLookup(mountStates);

  let frontDoor: FrontDoor | undefined;
  let http: HttpServer | undefined;
  let frontDoorRecords: NodeJS.Timeout | undefined;
  const stopWatchingInputs = watchInputs(streams, (stream, message) => {
    log.warn(message);
    metrics.recordSupervisorWarning(stream.name, message);
  });
  try {
    frontDoor = await startFrontDoor({
      host: options.host,
      port: options.port,
      lookupMount,
      limits: frontDoorLimits(options),
      auth,
      log: frontDoorLog(log, (message) => metrics.recordSupervisorWarning('front_door', message)),
    });
    const door = frontDoor;
    frontDoorRecords = setInterval(() => {
      metrics.recordCounters('front_door', door.counters());
      if (http) metrics.recordCounters('http', http.counters());
    }, COUNTERS_RECORD_MS);
    for (const supervisor of supervisors) supervisor.start();
    await waitUntilSettled(mountStates, STARTUP_TIMEOUT_MS);
    const urlHost = reachableHost(options.host);
    http = await startHttpSide({ options, mounts: mountStates, metrics, frontDoor: door, auth, urlHost, whep });
    const web = http
      ? `dashboard on http://${urlHostPart(urlHost)}:${http.address.port}/ (Prometheus: /metrics, API: /api/v1/streams, WHEP: /whep/NAME)\n`
      : '';
    const rows = mountStates.map(({ stream, state }) => ({ stream, state }));
    const access = options.auth
      ? `; viewers authenticate as ${options.auth.user} (Digest${options.auth.basic ? ' or Basic' : ''})`
      : '';
    const [firstPort, lastPort] = [streams[0]!.helperPort, streams.at(-1)!.helperPort];
    const helpers =
      firstPort === lastPort ? `helper on port ${firstPort}` : `helpers on ports ${firstPort}..${lastPort}`;
    process.stdout.write(
      `RTSP server ready on rtsp://${urlHost}:${options.port} (${helpers})${access}; metrics in ${runDir}\n` +
        web +
        `${formatStreamTable(rows, { ...options, urlHost })}\n`,
    );
    const stopStatus = startLiveStatus(
      () => streams.map((stream) => metrics.recorders.get(stream.name)!.status()),
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
    whep.close();
    await http?.close();
    await frontDoor?.close();
    await Promise.all(supervisors.map((supervisor) => supervisor.stop()));
    if (frontDoor) metrics.recordCounters('front_door', frontDoor.counters());
    if (http) metrics.recordCounters('http', http.counters());
    metrics.close();
    log.info(`metrics and summary written to ${runDir}`);
    await writeReportAtStop(runDir, log);
  }
}
