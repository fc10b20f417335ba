// A fluid model of one bottleneck for controller traces: the mount sends at the controller's
// target; the link serves its capacity and queues the rest up to a limit (UDP: tail drop;
// TCP: the sender's socket holds everything). Viewers report like real clients: UDP receiver
// reports every few seconds, TCP send-queue samples every 250 ms, TWCC feedback every tick
// (a frame's worth of packets: sent now, arrived once the queue ahead of it has drained).
import { BitrateController, type ControllerConfig, type Decision } from '../../src/control/controller.ts';

const TICK_MS = 50;
const PACKET_BYTES = 1200;

export interface ModelViewer {
  name: string;
  transport: 'udp' | 'tcp';
  /** Sends TWCC feedback (rtspsrc on a dynamic mount) instead of receiver reports. */
  twcc?: boolean;
  /** A key frame every second, as large as KEY_FRAME_MS of the bitrate (x264's rate-control
   *  buffer), the other frames smaller to keep the mean: a burst at the bottleneck each second. */
  keyFrames?: boolean;
  /** Extra one-way delay noise of each TWCC group (ms), e.g. jitter from cross traffic. */
  delayNoiseMs?(tMs: number): number;
  /** kbit/s at a time (ms). */
  capacityKbps(tMs: number): number;
  baseRttMs?: number;
  /** Extra RTT noise added to each report (ms). */
  rttNoiseMs?(tMs: number): number;
  /** Report period for UDP viewers (default 5000 ms); first report after half of it. */
  reportEveryMs?: number;
  /** Extra loss fraction a report shows (a loss burst), by report time. */
  extraLoss?(tMs: number): number;
  /** Join and leave times; reports only in between. */
  joinMs?: number;
  leaveMs?: number;
  /** Sends no signal at all (a silent viewer). */
  silent?: boolean;
}

export interface Trace {
  /** Target at every tick. */
  target: { tMs: number; kbps: number }[];
  decisions: Decision[];
  targetAt(tMs: number): number;
  /** Per viewer: queue delay (ms) at a tick. */
  queueMsAt(viewer: string, tMs: number): number;
  /** Per viewer, over the whole trace. */
  summary(viewer: string): LinkSummary;
  /** Seconds from `fromMs` until the viewer's link has had, in every 500 ms for 2 s, no loss and
   *  under 50 ms of queue on average (npm run bench's rule, with its 0.5-s bins). */
  settleS(viewer: string, fromMs: number): number | undefined;
}

export interface LinkSummary {
  lossPct: number;
  queueP95Ms: number;
  /** Delivered / capacity. */
  utilisation: number;
}

interface ViewerState {
  spec: ModelViewer;
  queueBytes: number;
  sentPackets: number;
  sentBytes: number;
  lostPackets: number;
  nextReportMs: number;
  reported: { lost: number; sent: number };
  joined: boolean;
  left: boolean;
  queueMs: Map<number, number>;
  ticks: { tMs: number; queueMs: number; lost: number; deliveredBytes: number; capacityBytes: number }[];
}

const KEY_FRAME_MS = 200;
const SETTLE_BIN_MS = 500;

/** A tick's share of the mean bytes per tick: the key frame's tick carries its burst. */
function frameShare(spec: ModelViewer, tMs: number): number {
  if (!spec.keyFrames) return 1;
  const ticksPerS = 1000 / TICK_MS;
  return tMs % 1000 === 0
    ? (TICK_MS + KEY_FRAME_MS) / TICK_MS
    : (ticksPerS - 1 - KEY_FRAME_MS / TICK_MS) / (ticksPerS - 1);
}

export function runTrace(
  config: ControllerConfig,
  viewers: ModelViewer[],
  durationMs: number,
  queueLimitMs = 300,
): Trace {
  const controller = new BitrateController(config);
  const states: ViewerState[] = viewers.map((spec) => ({
    spec,
    queueBytes: 0,
    sentPackets: 0,
    sentBytes: 0,
    lostPackets: 0,
    nextReportMs: (spec.joinMs ?? 0) + (spec.reportEveryMs ?? 5000) / 2,
    joined: false,
    left: false,
    queueMs: new Map(),
    ticks: [],
    reported: { lost: 0, sent: 0 },
  }));
  const stateOf = (viewer: string) => states.find((state) => state.spec.name === viewer)!;
  const target: Trace['target'] = [];
  const decisions: Decision[] = [];
  const take = (decision: Decision | undefined) => {
    if (decision) decisions.push(decision);
  };
  for (let tMs = 0; tMs <= durationMs; tMs += TICK_MS) {
    const sendKbps = controller.targetKbps;
    if (tMs % 1000 === 0 && tMs > 0) take(controller.observe({ kind: 'sent', tMs, sentKbps: sendKbps }));
    for (const state of states) {
      const { spec } = state;
      if (!state.joined && tMs >= (spec.joinMs ?? 0)) {
        state.joined = true;
      }
      if (!state.joined || state.left) continue;
      if (spec.leaveMs !== undefined && tMs >= spec.leaveMs) {
        state.left = true;
        take(controller.observe({ kind: 'left', viewer: spec.name, tMs }));
        continue;
      }
      const capacity = spec.capacityKbps(tMs);
      const arriving = ((sendKbps * TICK_MS) / 8) * frameShare(spec, tMs);
      const served = (capacity * TICK_MS) / 8;
      state.sentPackets += arriving / PACKET_BYTES;
      state.sentBytes += arriving;
      const delivered = Math.min(served, state.queueBytes + arriving);
      state.queueBytes = Math.max(0, state.queueBytes + arriving - served);
      const limit = (capacity * queueLimitMs) / 8;
      let lost = 0;
      if (spec.transport === 'udp' && state.queueBytes > limit) {
        lost = (state.queueBytes - limit) / PACKET_BYTES;
        state.lostPackets += lost;
        state.queueBytes = limit;
      }
      const queueMs = (state.queueBytes * 8) / capacity;
      state.queueMs.set(tMs, queueMs);
      state.ticks.push({ tMs, queueMs, lost, deliveredBytes: delivered, capacityBytes: served });
      if (spec.silent) continue;
      if (spec.transport === 'tcp' && tMs % 250 === 0) {
        take(
          controller.observe({
            kind: 'queue',
            viewer: spec.name,
            tMs,
            unsentBytes: Math.round(state.queueBytes),
            bytesSent: Math.round(state.sentBytes),
          }),
        );
      }
      if (spec.twcc) {
        const arrivalMs = tMs + (spec.baseRttMs ?? 1) / 2 + queueMs + (spec.delayNoiseMs?.(tMs) ?? 0);
        const packets = Math.max(1, Math.round(arriving / PACKET_BYTES));
        const lostPackets = Math.min(packets, Math.round(lost));
        take(
          controller.observe({
            kind: 'twcc',
            viewer: spec.name,
            tMs,
            packets,
            lost: lostPackets,
            groups:
              lostPackets === packets
                ? []
                : [{ sendMs: tMs, arrivalMs, bytes: Math.round(arriving - lost * PACKET_BYTES) }],
          }),
        );
        continue;
      }
      if (spec.transport === 'udp' && tMs >= state.nextReportMs) {
        state.nextReportMs += spec.reportEveryMs ?? 5000;
        const extra = spec.extraLoss?.(tMs) ?? 0;
        if (extra > 0) state.lostPackets += (extra * (sendKbps * 5000)) / 8 / PACKET_BYTES;
        // What the report checks give the controller: loss since the previous report, from the counters.
        const expected = Math.round(state.sentPackets) - Math.round(state.reported.sent);
        const loss =
          expected > 0 ? (Math.round(state.lostPackets) - Math.round(state.reported.lost)) / expected : undefined;
        state.reported = { lost: state.lostPackets, sent: state.sentPackets };
        take(
          controller.observe({
            kind: 'report',
            viewer: spec.name,
            tMs,
            rttMs: (spec.baseRttMs ?? 1) + queueMs + (spec.rttNoiseMs?.(tMs) ?? 0),
            loss,
            trusted: true,
          }),
        );
      }
    }
    target.push({ tMs, kbps: controller.targetKbps });
  }
  return {
    target,
    decisions,
    targetAt: (tMs) => target[Math.round(tMs / TICK_MS)]!.kbps,
    queueMsAt: (viewer, tMs) => stateOf(viewer).queueMs.get(Math.round(tMs / TICK_MS) * TICK_MS) ?? 0,
    summary: (viewer) => {
      const { ticks, sentPackets, lostPackets } = stateOf(viewer);
      const queues = ticks.map((tick) => tick.queueMs).sort((a, b) => a - b);
      const sum = (key: 'deliveredBytes' | 'capacityBytes') => ticks.reduce((total, tick) => total + tick[key], 0);
      return {
        lossPct: sentPackets > 0 ? (lostPackets / sentPackets) * 100 : 0,
        queueP95Ms: queues[Math.floor(queues.length * 0.95)] ?? 0,
        utilisation: sum('deliveredBytes') / sum('capacityBytes'),
      };
    },
    settleS: (viewer, fromMs) => {
      const ticks = stateOf(viewer).ticks.filter((tick) => tick.tMs >= fromMs);
      const perBin = SETTLE_BIN_MS / TICK_MS;
      let calmSinceMs: number | undefined;
      for (let i = 0; i + perBin <= ticks.length; i += perBin) {
        const bin = ticks.slice(i, i + perBin);
        const calm =
          bin.every((tick) => tick.lost === 0) && bin.reduce((sum, tick) => sum + tick.queueMs, 0) / bin.length < 50;
        if (!calm) calmSinceMs = undefined;
        else calmSinceMs ??= bin[0]!.tMs;
        if (calmSinceMs !== undefined && bin.at(-1)!.tMs + TICK_MS - calmSinceMs >= 2000)
          return (calmSinceMs - fromMs) / 1000;
      }
      return undefined;
    },
  };
}

/** A capacity schedule: [[fromMs, kbps], ...] in time order. */
export function steps(...schedule: [number, number][]): (tMs: number) => number {
  return (tMs) => schedule.filter(([fromMs]) => fromMs <= tMs).at(-1)![1];
}

/** Deterministic noise in [-amplitude, amplitude] (a small LCG), for repeatable traces. */
export function seededNoise(seed: number, amplitude: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state / 2 ** 32) * 2 * amplitude - amplitude;
  };
}
