// Receiver reports are untrusted input: each block is checked against what the server sent to
// that viewer before anyone believes it. A figure that contradicts our own counters is corrected
// (or removed); a report that cannot be true is dropped. Every correction and drop is named, so
// the metrics count them. Pure: state per viewer, no clock but the reports' own times.
import type { HelperEvent } from '../helper/events.ts';
import { TokenBucket } from './token-bucket.ts';

type RawReport = Extract<HelperEvent, { type: 'rtcp' }>;

export type IssueAction = 'corrected' | 'dropped';

export type ReportIssueReason =
  /** Not from a viewer the helper knows (an address no session has), or before its PLAY. */
  | 'unknown_viewer'
  | 'before_play'
  /** About an SSRC that is not the stream's. */
  | 'foreign_ssrc'
  /** More than REPORTS_PER_S a second on average (bursts of REPORT_BURST allowed). */
  | 'too_frequent'
  /** Highest sequence number that was never sent to this viewer, or that went backwards. */
  | 'seq_beyond_sent'
  | 'seq_backwards'
  /** Cumulative lost below 0 (shown as 0; counted when it changes), more than was sent, more than expected since the last report, or fewer lost than at the last report (the interval's loss is then unknown). */
  | 'lost_negative'
  | 'lost_beyond_sent'
  | 'lost_beyond_expected'
  | 'lost_decreased'
  /** The 8-bit fraction disagrees with what the cumulative counters say: replaced by theirs. */
  | 'fraction_contradicts'
  /** LSR names no sender report of ours, or DLSR is longer than our report's age: no RTT. */
  | 'unknown_lsr'
  | 'negative_rtt'
  /** Interarrival jitter of more than MAX_JITTER_US: removed. */
  | 'jitter_absurd';

export interface ReportIssue {
  reason: ReportIssueReason;
  action: IssueAction;
}

/** A report's figures once checked: each one true to what the server sent, or absent. */
export interface CheckedReport {
  tUs: number;
  rttUs: number | undefined;
  jitterUs: number | undefined;
  /** 0..1, as the viewer's fraction, unless the counters contradict it. */
  fractionLost: number;
  /** Cumulative, never below 0. */
  packetsLost: number;
  highestSeq: number;
  /** Lost since the previous accepted report, from the cumulative counters (finer than the 8-bit
   *  fraction); undefined when nothing was expected since, or the counters cannot be trusted. */
  intervalLoss: number | undefined;
  /** Packets the viewer expected since the previous accepted report (or since it started). */
  expected: number;
}

export interface CheckResult {
  report: CheckedReport | undefined;
  issues: ReportIssue[];
}

/** rtspsrc asked for reports every 100 ms sends about 10 a second, two now and then 5 ms apart;
 *  asked for 50 ms, 20 a second (docs/controller.md). Twice that is more than any client sends. */
export const REPORTS_PER_S = 20;
export const REPORT_BURST = 10;
/** Packets around the viewer's start that may be counted on either side of its PLAY (those
 *  queued between the payloader and the network when it joined). */
export const SEQ_SLACK = 64;
/** A 16-bit sequence number wraps after this many packets. */
const SEQ_CYCLE = 65_536;
/** More jitter than this is no measurement (RTP's 32 bits allow 13 hours). */
export const MAX_JITTER_US = 10_000_000;
/** Below this, a negative RTT is DLSR's rounding (1/65536 s) on a fast path: taken as 0. */
const RTT_ROUNDING_US = 1_000;
/** Fraction and counters may differ this much (the viewer's interval need not be ours). */
const FRACTION_TOLERANCE = 0.05;
/** Fewer expected packets than this say too little to contradict a fraction. */
const MIN_EXPECTED_FOR_FRACTION = 20;

interface Accepted {
  highestSeq: number;
  /** Packets from the viewer's first to its highest: never more than were sent to it. */
  index: number;
  packetsLost: number;
}

export class ReportChecker {
  #previous: Accepted | undefined;
  readonly #rate = new TokenBucket(REPORTS_PER_S, REPORT_BURST);

  check(raw: RawReport): CheckResult {
    const issues: ReportIssue[] = [];
    const drop = (reason: ReportIssueReason): CheckResult => ({
      report: undefined,
      issues: [...issues, { reason, action: 'dropped' }],
    });
    const correct = (reason: ReportIssueReason): void => {
      issues.push({ reason, action: 'corrected' });
    };

    if (raw.clientId === undefined) return drop('unknown_viewer');
    if (raw.firstSeq === undefined || raw.sentPackets === undefined) return drop('before_play');
    if (raw.senderSsrc !== undefined && raw.mediaSsrc !== raw.senderSsrc) return drop('foreign_ssrc');
    if (!this.#rate.take(raw.tUs)) return drop('too_frequent');

    const previous = this.#previous;
    let expected: number;
    let index: number;
    if (previous === undefined) {
      const first = firstIndex(raw.highestSeq, raw.firstSeq, raw.sentPackets);
      if (first === undefined) return drop('seq_beyond_sent');
      index = first;
      expected = index + 1;
    } else {
      expected = raw.highestSeq - previous.highestSeq;
      if (expected < 0) return drop('seq_backwards');
      // Against all that was sent, not what was sent since the last report: a TCP viewer draining
      // its backlog receives more in an interval than the media sends in it.
      index = previous.index + expected;
      if (index > raw.sentPackets + SEQ_SLACK) return drop('seq_beyond_sent');
    }
    if (raw.packetsLost > raw.sentPackets + SEQ_SLACK) return drop('lost_beyond_sent');

    let intervalLoss: number | undefined;
    if (previous === undefined) {
      if (raw.packetsLost > expected) return drop('lost_beyond_expected');
      if (raw.packetsLost >= 0) intervalLoss = raw.packetsLost / expected;
    } else if (expected > 0) {
      const lost = raw.packetsLost - previous.packetsLost;
      if (lost > expected) return drop('lost_beyond_expected');
      if (lost < 0) correct('lost_decreased');
      else intervalLoss = lost / expected;
    }
    // rtspsrc reports -1 in every report (its counting starts one packet late): one quirk, counted
    // once, not ten times a second.
    if (raw.packetsLost < 0 && raw.packetsLost !== previous?.packetsLost) correct('lost_negative');

    let fractionLost = raw.fractionLost;
    const derived = previous === undefined ? Math.max(0, raw.packetsLost) / expected : intervalLoss;
    if (
      derived !== undefined &&
      expected >= MIN_EXPECTED_FOR_FRACTION &&
      Math.abs(fractionLost - derived) > FRACTION_TOLERANCE
    ) {
      correct('fraction_contradicts');
      fractionLost = derived;
    }

    let rttUs: number | undefined;
    if (raw.srAgeUs !== undefined) {
      rttUs = raw.srAgeUs - raw.dlsrUs;
      if (rttUs < -RTT_ROUNDING_US) {
        correct('negative_rtt');
        rttUs = undefined;
      } else {
        rttUs = Math.max(0, rttUs);
      }
    } else if (raw.lsr !== 0) {
      correct('unknown_lsr');
    }

    let jitterUs: number | undefined = raw.jitterUs;
    if (jitterUs > MAX_JITTER_US) {
      correct('jitter_absurd');
      jitterUs = undefined;
    }

    this.#previous = { highestSeq: raw.highestSeq, index, packetsLost: raw.packetsLost };
    return {
      report: {
        tUs: raw.tUs,
        rttUs,
        jitterUs,
        fractionLost,
        packetsLost: Math.max(0, raw.packetsLost),
        highestSeq: raw.highestSeq,
        intervalLoss,
        expected,
      },
      issues,
    };
  }
}

/**
 * Where a viewer's first report stands in what it was sent: its highest sequence number's
 * distance from the first one sent to it. The viewer numbers its wraps from its own first packet,
 * so only the low 16 bits are comparable; a few packets before the first (SEQ_SLACK) may have
 * reached it. Undefined when that number was never sent to it.
 */
function firstIndex(highestSeq: number, firstSeq: number, sentPackets: number): number | undefined {
  let index = (((highestSeq - firstSeq) % SEQ_CYCLE) + SEQ_CYCLE) % SEQ_CYCLE;
  if (index >= SEQ_CYCLE - SEQ_SLACK) index -= SEQ_CYCLE;
  // After a whole wrap every low value is one that was sent.
  if (sentPackets >= SEQ_CYCLE - SEQ_SLACK) return Math.max(0, index);
  if (index > sentPackets + SEQ_SLACK) return undefined;
  return Math.max(0, index);
}
