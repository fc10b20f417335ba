// The fields of the metrics records that carry a checked receiver report, a second of TWCC
// feedback or a controller decision (docs/metrics.md), in the record's units and rounding.
import type { Decision } from '../control/controller.ts';
import type { ViewerReport } from '../feedback/stream-feedback.ts';
import { round, roundOptional } from './round.ts';
import type { TwccSecond } from './twcc-metrics.ts';

export function rtcpFields(report: ViewerReport) {
  return {
    viewer: report.viewer,
    address: report.address,
    transport: report.transport,
    reports: report.reports,
    rtt_ms: roundOptional(report.rttUs === undefined ? undefined : report.rttUs / 1000, 3),
    jitter_ms: roundOptional(report.jitterUs === undefined ? undefined : report.jitterUs / 1000, 3),
    fraction_lost: round(report.fractionLost, 4),
    packets_lost: report.packetsLost,
    interval_loss: roundOptional(report.intervalLoss, 4),
    cadence_ms: roundOptional(report.cadenceMs, 1),
  };
}

export function twccFields(viewer: string, second: TwccSecond) {
  return {
    viewer,
    feedbacks: second.feedbacks,
    packets: second.packets,
    lost: second.lost,
    received_kbps: round(second.receivedKbps, 1),
    queue_mean_ms: roundOptional(second.queueMeanMs, 2),
    queue_max_ms: roundOptional(second.queueMaxMs, 2),
  };
}

export function controlFields(decision: Decision) {
  return {
    target_kbps: decision.targetKbps,
    previous_kbps: decision.previousKbps,
    reason: decision.reason,
    viewer: decision.viewer,
    signal_from: decision.signalFrom,
    rtt_ms: roundOptional(decision.rttMs, 2),
    queue_ms: roundOptional(decision.queueMs, 1),
    loss: roundOptional(decision.loss, 4),
    capacity_kbps: roundOptional(decision.capacityKbps, 1),
  };
}
