// A long run without waiting for it: the helpers' events of N streams with one viewer each are
// simulated (frames at 30 fps, stats every second, receiver reports every 5 s for UDP viewers,
// send-queue samples every 250 ms for TCP viewers) and fed through the real feedback checks,
// RunMetrics, stream recorders and controllers, on a simulated clock. The run directory holds what the server
// would write: metrics.ndjson (same record kinds and rates) and summary.json.
import type { ServeOptions } from '../../src/config/options.ts';
import { MountControl } from '../../src/control/mount-control.ts';
import { StreamFeedback } from '../../src/feedback/stream-feedback.ts';
import type { HelperEvent } from '../../src/helper/events.ts';
import { createRunDir } from '../../src/metrics/run-dir.ts';
import { RunMetrics } from '../../src/serve/run-metrics.ts';
import { planStreams, type StreamSpec } from '../../src/streams/plan.ts';
import { createLog } from '../../src/ui/log.ts';

export interface SimulatedRunOptions {
  outDir: string;
  /** One file per pair of streams (static, dynamic). */
  files: readonly string[];
  minutes: number;
  fps?: number;
}

const FRAME_LATENCY_US = 3_000;
const KEYFRAME_SIZE_FACTOR = 5;

/** A deterministic pseudo-random sequence in [0, 1), so that runs are comparable. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

interface SimulatedStream {
  spec: StreamSpec;
  transport: 'udp' | 'tcp';
  bitrateKbps: number;
  bytesSent: number;
  packetsSent: number;
  packetsLost: number;
  feed(event: HelperEvent): void;
}

export function writeSimulatedRun(options: SimulatedRunOptions): string {
  const fps = options.fps ?? 30;
  const serveOptions: ServeOptions = {
    videos: options.files.map((file) => ({ name: undefined, file })),
    host: '127.0.0.1',
    port: 8554,
    firstHelperPort: 8555,
    httpPort: 8080,
    durationS: options.minutes * 60,
    staticBitrateKbps: 5000,
    startBitrateKbps: 800,
    minBitrateKbps: 300,
    maxBitrateKbps: 8000,
    dynamicTransport: 'auto',
    encoderPreset: 'superfast',
    encodersPerVideo: 8,
    size: undefined,
    maxSize: { width: 1280, height: 720 },
    fps,
    audio: true,
    lingerS: 10,
    alwaysOn: false,
    outDir: options.outDir,
    quiet: true,
    gstDebug: '*:2',
    idleTimeoutS: 30,
    maxConnections: 256,
    sessionTimeoutS: 60,
    maxViewers: 20,
    maxViewersPerAddress: 10,
    restartMaxDelayS: 30,
    webrtcPorts: undefined,
    iceServers: [],
    webrtcConnectTimeoutS: 30,
    webrtcRtx: true,
    auth: undefined,
  };
  const specs = planStreams(
    serveOptions.videos,
    options.files.map(() => ({ picture: { width: 640, height: 480, fps }, audio: undefined })),
    { ...serveOptions, picture: { size: undefined, maxSize: serveOptions.maxSize, fps } },
  );
  const runDir = createRunDir(options.outDir, new Date());
  let nowMs = 0;
  const clock = { fromMonotonicUs: (us: number) => us / 1000, nowMs: () => nowMs };
  const metrics = new RunMetrics(runDir, serveOptions, specs, createLog({ quiet: true }), clock);
  const next = random(42);

  const streams: SimulatedStream[] = specs.map((spec) => {
    const recorder = metrics.recorders.get(spec.name)!;
    const feedback = new StreamFeedback();
    const stream: SimulatedStream = {
      spec,
      transport: spec.mode === 'dynamic' ? 'udp' : 'tcp',
      bitrateKbps: spec.startBitrateKbps,
      bytesSent: 0,
      packetsSent: 0,
      packetsLost: 0,
      feed: (event) => {
        for (const checked of feedback.accept(event)) {
          recorder.onEvent(checked);
          control?.onEvent(checked);
        }
      },
    };
    const control =
      spec.mode === 'dynamic'
        ? new MountControl({
            config: {
              minKbps: serveOptions.minBitrateKbps,
              maxKbps: serveOptions.maxBitrateKbps,
              startKbps: spec.startBitrateKbps,
            },
            clock,
            send: (command) => {
              if (command.name !== 'bitrate') return true;
              stream.bitrateKbps = command.kbps;
              stream.feed({ type: 'bitrate', bitrateKbps: command.kbps, requestedKbps: command.kbps });
              return true;
            },
            onDecision: (decision, encoder) => recorder.onControl(decision, encoder),
          })
        : undefined;
    recorder.onState({ kind: 'running', sinceMs: 0, pid: 0 });
    stream.feed({ type: 'hello', protocol: 2, pid: 0 });
    stream.feed({
      type: 'ready',
      host: '127.0.0.1',
      port: spec.helperPort,
      mount: spec.mount,
      url: `rtsp://127.0.0.1:${spec.helperPort}${spec.mount}`,
    });
    stream.feed({ type: 'media', event: 'prepared', width: 640, height: 480, fps });
    stream.feed({ type: 'bitrate', bitrateKbps: spec.startBitrateKbps });
    stream.feed({ type: 'client', event: 'playing', clientId: 1, address: '127.0.0.1', transport: stream.transport });
    return stream;
  });

  const frames = options.minutes * 60 * fps;
  for (let frame = 0; frame < frames; frame += 1) {
    nowMs = (frame * 1000) / fps;
    const us = nowMs * 1000;
    for (const stream of streams) {
      const key = frame % fps === 0;
      const meanBytes = (stream.bitrateKbps * 1000) / 8 / fps;
      const bytes = Math.round(meanBytes * (key ? KEYFRAME_SIZE_FACTOR : 0.9 + 0.2 * next()));
      stream.bytesSent += bytes;
      stream.packetsSent += Math.ceil(bytes / 1400);
      stream.feed({ type: 'frame', ptsUs: us, inUs: us, outUs: us + FRAME_LATENCY_US * (0.5 + next()), bytes, key });
      if (frame % fps === 0 && frame > 0)
        stream.feed({ type: 'stats', tUs: us, packetsSent: stream.packetsSent, bytesSent: stream.bytesSent });
      if (stream.transport === 'tcp' && frame % Math.round(fps / 4) === 0) {
        stream.feed({ type: 'queue', clientId: 1, address: '127.0.0.1', unsentBytes: Math.round(next() * 4000) });
      }
      if (stream.transport === 'udp' && frame % (5 * fps) === 0 && frame > 0) {
        const fractionLost = next() < 0.1 ? 0.05 * next() : 0;
        stream.packetsLost += Math.round(fractionLost * 5 * fps * 2);
        const rttUs = 2_000 + next() * 30_000;
        stream.feed({
          type: 'rtcp',
          tUs: us,
          ssrc: 1,
          clientId: 1,
          address: '127.0.0.1',
          transport: 'udp',
          mediaSsrc: 7,
          senderSsrc: 7,
          fractionLost,
          packetsLost: stream.packetsLost,
          highestSeq: stream.packetsSent,
          jitterUs: next() * 5_000,
          lsr: 1,
          dlsrUs: 50_000,
          srAgeUs: 50_000 + rttUs,
          firstSeq: 0,
          sentPackets: stream.packetsSent,
        });
      }
    }
  }
  for (const stream of streams)
    stream.feed({ type: 'client', event: 'teardown', clientId: 1, address: '127.0.0.1', transport: stream.transport });
  metrics.close();
  return runDir;
}
