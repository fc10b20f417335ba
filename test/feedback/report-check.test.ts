// The receiver report checks on traces: each asserts what a viewer's reports become, one check at
// a time, so that dropping any one check fails its test.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REPORT_BURST, ReportChecker, type CheckResult } from '../../src/feedback/report-check.ts';
import type { HelperEvent } from '../../src/helper/events.ts';

type Raw = Extract<HelperEvent, { type: 'rtcp' }>;

const SSRC = 0x1234;

/** A clean report from client 1, 0.1 s apart by default: `seq` packets after its first, none lost. */
function raw(tMs: number, fields: Partial<Raw> = {}): Raw {
  return {
    type: 'rtcp',
    tUs: tMs * 1000,
    ssrc: 99,
    clientId: 1,
    address: '127.0.0.1',
    transport: 'udp',
    mediaSsrc: SSRC,
    senderSsrc: SSRC,
    fractionLost: 0,
    packetsLost: 0,
    highestSeq: 1000,
    jitterUs: 2000,
    lsr: 0,
    dlsrUs: 0,
    firstSeq: 1000,
    sentPackets: 1,
    ...fields,
  };
}

const reasons = (result: CheckResult) => result.issues.map((issue) => `${issue.reason}:${issue.action}`);

describe('ReportChecker', () => {
  it("live555's first report (cumulative lost -1, fraction 255/256, nothing lost): both corrected, its loss unknown", () => {
    const result = new ReportChecker().check(
      raw(0, { packetsLost: -1, fractionLost: 255 / 256, highestSeq: 1049, sentPackets: 50 }),
    );
    assert.deepEqual(reasons(result), ['lost_negative:corrected', 'fraction_contradicts:corrected']);
    assert.equal(result.report!.packetsLost, 0);
    assert.equal(result.report!.fractionLost, 0);
    assert.equal(result.report!.intervalLoss, undefined, 'counters that said nothing true give no loss');
    assert.equal(result.report!.expected, 50);
  });

  it("rtspsrc's steady -1: counted once, and the counters' differences still give the loss", () => {
    const checker = new ReportChecker();
    const first = checker.check(raw(0, { packetsLost: -1, highestSeq: 1099, sentPackets: 100 }));
    assert.deepEqual(reasons(first), ['lost_negative:corrected']);
    const second = checker.check(raw(100, { packetsLost: -1, highestSeq: 1199, sentPackets: 200 }));
    assert.deepEqual(reasons(second), []);
    assert.equal(second.report!.intervalLoss, 0);
    const third = checker.check(
      raw(200, { packetsLost: 9, fractionLost: 25 / 256, highestSeq: 1299, sentPackets: 300 }),
    );
    assert.deepEqual(reasons(third), []);
    assert.equal(third.report!.intervalLoss, 0.1);
  });

  it('a trajectory of honest reports: loss since each previous one, from the cumulative counters', () => {
    const checker = new ReportChecker();
    const losses = [
      [1099, 0],
      [1199, 20],
      [1299, 20],
      [1399, 70],
    ].map(
      ([highestSeq, packetsLost], i) =>
        checker.check(raw(i * 100, { highestSeq, packetsLost, sentPackets: (i + 1) * 100, fractionLost: 0 })).report
          ?.intervalLoss,
    );
    assert.deepEqual(losses, [0, 0.2, 0, 0.5]);
  });

  it('a fraction that contradicts the counters is replaced by theirs', () => {
    const checker = new ReportChecker();
    checker.check(raw(0, { highestSeq: 1099, sentPackets: 100 }));
    const lying = checker.check(raw(100, { highestSeq: 1199, packetsLost: 0, fractionLost: 0.5, sentPackets: 200 }));
    assert.deepEqual(reasons(lying), ['fraction_contradicts:corrected']);
    assert.equal(lying.report!.fractionLost, 0);
    const close = checker.check(
      raw(200, { highestSeq: 1299, packetsLost: 10, fractionLost: 26 / 256, sentPackets: 300 }),
    );
    assert.deepEqual(reasons(close), [], 'within the 8-bit rounding and the tolerance');
  });

  it('drops a highest sequence number never sent to the viewer, or going backwards', () => {
    assert.deepEqual(reasons(new ReportChecker().check(raw(0, { highestSeq: 1500, sentPackets: 100 }))), [
      'seq_beyond_sent:dropped',
    ]);
    const checker = new ReportChecker();
    checker.check(raw(0, { highestSeq: 1099, sentPackets: 100 }));
    assert.deepEqual(reasons(checker.check(raw(100, { highestSeq: 1050, sentPackets: 200 }))), [
      'seq_backwards:dropped',
    ]);
    assert.deepEqual(
      reasons(checker.check(raw(200, { highestSeq: 1099 + 65_536, sentPackets: 300 }))),
      ['seq_beyond_sent:dropped'],
      'a jump of a whole wrap',
    );
    assert.equal(
      checker.check(raw(300, { highestSeq: 1399, sentPackets: 400 })).report?.expected,
      300,
      'the dropped ones left no trace',
    );
    assert.deepEqual(
      reasons(checker.check(raw(400, { highestSeq: 1499, sentPackets: 420 }))),
      ['seq_beyond_sent:dropped'],
      'ahead of all that was sent',
    );
  });

  it('accepts a TCP viewer draining its backlog: more received in an interval than sent in it', () => {
    const checker = new ReportChecker();
    assert.deepEqual(reasons(checker.check(raw(0, { highestSeq: 1099, sentPackets: 1000 }))), []);
    const caughtUp = checker.check(raw(1000, { highestSeq: 1899, sentPackets: 1050 }));
    assert.deepEqual(reasons(caughtUp), []);
    assert.equal(caughtUp.report?.expected, 800);
  });

  it('reads a first report across a sequence wrap, and a few packets from before the viewer started', () => {
    const wrapped = new ReportChecker().check(raw(0, { firstSeq: 65_530, highestSeq: 65_536 + 20, sentPackets: 30 }));
    assert.equal(wrapped.report?.expected, 27);
    const early = new ReportChecker().check(raw(0, { firstSeq: 1000, highestSeq: 995, sentPackets: 1 }));
    assert.deepEqual(reasons(early), []);
  });

  it('drops cumulative losses beyond what was sent, or beyond what was expected since the last report', () => {
    assert.deepEqual(
      reasons(new ReportChecker().check(raw(0, { highestSeq: 1099, packetsLost: 100_000, sentPackets: 100 }))),
      ['lost_beyond_sent:dropped'],
    );
    assert.deepEqual(
      reasons(new ReportChecker().check(raw(0, { highestSeq: 1009, packetsLost: 50, sentPackets: 100 }))),
      ['lost_beyond_expected:dropped'],
    );
    const checker = new ReportChecker();
    checker.check(raw(0, { highestSeq: 1099, sentPackets: 100 }));
    assert.deepEqual(reasons(checker.check(raw(100, { highestSeq: 1109, packetsLost: 40, sentPackets: 200 }))), [
      'lost_beyond_expected:dropped',
    ]);
  });

  it("a cumulative loss that falls leaves the interval's loss unknown", () => {
    const checker = new ReportChecker();
    checker.check(raw(0, { highestSeq: 1099, packetsLost: 30, sentPackets: 100 }));
    const fell = checker.check(raw(100, { highestSeq: 1199, packetsLost: 10, sentPackets: 200 }));
    assert.deepEqual(reasons(fell), ['lost_decreased:corrected']);
    assert.equal(fell.report!.intervalLoss, undefined);
  });

  it('drops reports about another SSRC, from no known viewer, or before its PLAY', () => {
    assert.deepEqual(reasons(new ReportChecker().check(raw(0, { mediaSsrc: 7 }))), ['foreign_ssrc:dropped']);
    assert.deepEqual(reasons(new ReportChecker().check(raw(0, { clientId: undefined }))), ['unknown_viewer:dropped']);
    assert.deepEqual(reasons(new ReportChecker().check(raw(0, { firstSeq: undefined, sentPackets: undefined }))), [
      'before_play:dropped',
    ]);
  });

  it('drops reports faster than any client sends them, and takes them again once the rate is sane', () => {
    const checker = new ReportChecker();
    const burst = Array.from({ length: 50 }, (_, i) =>
      checker.check(raw(i, { highestSeq: 1000 + i, sentPackets: 100 })),
    );
    assert.equal(
      burst.filter((result) => result.report !== undefined).length,
      REPORT_BURST,
      'the burst; 49 ms earn no token',
    );
    assert.ok(burst.slice(REPORT_BURST).every((result) => reasons(result)[0] === 'too_frequent:dropped'));
    assert.ok(checker.check(raw(2000, { highestSeq: 1099, sentPackets: 200 })).report);
  });

  it('an RTT only from an LSR of ours and a DLSR shorter than its age; no absurd jitter', () => {
    const checker = new ReportChecker();
    const unknown = checker.check(raw(0, { lsr: 12345 }));
    assert.deepEqual(reasons(unknown), ['unknown_lsr:corrected']);
    assert.equal(unknown.report!.rttUs, undefined);
    const rtt = checker.check(
      raw(100, { lsr: 12345, srAgeUs: 80_000, dlsrUs: 60_000, highestSeq: 1001, sentPackets: 2 }),
    );
    assert.equal(rtt.report!.rttUs, 20_000);
    const negative = checker.check(
      raw(200, { lsr: 12345, srAgeUs: 10_000, dlsrUs: 60_000, highestSeq: 1002, sentPackets: 3 }),
    );
    assert.deepEqual(reasons(negative), ['negative_rtt:corrected']);
    assert.equal(negative.report!.rttUs, undefined);
    const rounding = checker.check(
      raw(300, { lsr: 12345, srAgeUs: 60_000, dlsrUs: 60_015, highestSeq: 1003, sentPackets: 4 }),
    );
    assert.equal(rounding.report!.rttUs, 0, "DLSR's 1/65536 s rounding on a fast path");
    const jitter = checker.check(raw(400, { jitterUs: 4_000_000_000, highestSeq: 1004, sentPackets: 5 }));
    assert.deepEqual(reasons(jitter), ['jitter_absurd:corrected']);
    assert.equal(jitter.report!.jitterUs, undefined);
  });
});
