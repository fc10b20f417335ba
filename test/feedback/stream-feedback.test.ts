import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StreamFeedback, TWCC_PER_S } from '../../src/feedback/stream-feedback.ts';
import { signalKind, signalLabel } from '../../src/feedback/signal.ts';
import { Cadence } from '../../src/feedback/cadence.ts';
import type { HelperEvent } from '../../src/helper/events.ts';

const report = (tMs: number, clientId: number | undefined, highestSeq: number): HelperEvent => ({
  type: 'rtcp',
  tUs: tMs * 1000,
  ssrc: 5,
  clientId,
  transport: 'udp',
  mediaSsrc: 1,
  senderSsrc: 1,
  fractionLost: 0,
  packetsLost: 0,
  highestSeq,
  jitterUs: 0,
  lsr: 0,
  dlsrUs: 0,
  firstSeq: 0,
  sentPackets: highestSeq + 1,
});

const twcc = (tMs: number, unknown = 0): HelperEvent => ({
  type: 'twcc',
  tUs: tMs * 1000,
  ssrc: 5,
  clientId: 1,
  transport: 'udp',
  feedbackCount: 0,
  packets: 10,
  lost: 0,
  unknown,
  sentBytes: 12_000,
  receivedBytes: 12_000,
  groups: [{ sendUs: tMs * 1000, arrivalUs: tMs * 1000 + 500, bytes: 12_000 }],
});

describe('StreamFeedback', () => {
  it('passes checked reports on with their viewer, count and cadence; other records unchanged', () => {
    const feedback = new StreamFeedback();
    const stats: HelperEvent = { type: 'stats', tUs: 1, packetsSent: 1, bytesSent: 1 };
    assert.deepEqual(feedback.accept(stats), [stats]);
    feedback.accept(report(0, 1, 99));
    const second = feedback.accept(report(100, 1, 199))[0]!;
    assert.ok(
      second.type === 'report' && second.viewer === 'client:1' && second.reports === 2 && second.cadenceMs === 100,
    );
  });

  it("turns a dropped or corrected report into a feedback_issue, and the helper's own drops too", () => {
    const feedback = new StreamFeedback();
    assert.deepEqual(feedback.accept(report(0, undefined, 99)), [
      {
        type: 'feedback_issue',
        viewer: 'ssrc:5',
        tUs: 0,
        source: 'report',
        reason: 'unknown_viewer',
        action: 'dropped',
        count: 1,
      },
    ]);
    assert.deepEqual(
      feedback.accept({ type: 'feedback_dropped', tUs: 7, ssrc: 5, clientId: 2, reason: 'twcc_truncated' }),
      [
        {
          type: 'feedback_issue',
          viewer: 'client:2',
          tUs: 7,
          source: 'report',
          reason: 'twcc_truncated',
          action: 'dropped',
          count: 1,
        },
      ],
    );
  });

  it("counts the RTCP the helper refused unread, from strangers and past a viewer's rate, as issues of no viewer", () => {
    const feedback = new StreamFeedback();
    assert.deepEqual(
      feedback.accept({
        type: 'feedback_refused',
        tUs: 9,
        mount: '/video2',
        strangerPackets: 1_500,
        overRatePackets: 40,
        strangerAddress: '10.0.0.9',
      }),
      [
        {
          type: 'feedback_issue',
          viewer: '*',
          tUs: 9,
          source: 'rtcp',
          reason: 'stranger',
          action: 'dropped',
          count: 1_500,
          address: '10.0.0.9',
        },
        {
          type: 'feedback_issue',
          viewer: '*',
          tUs: 9,
          source: 'rtcp',
          reason: 'over_rate',
          action: 'dropped',
          count: 40,
        },
      ],
    );
    assert.deepEqual(
      feedback
        .accept({ type: 'feedback_refused', tUs: 10, strangerPackets: 0, overRatePackets: 3 })
        .map((event) => event.type === 'feedback_issue' && event.reason),
      ['over_rate'],
    );
  });

  it('TWCC: counts packets it never sent, drops a flood, forgets a viewer that left and everyone at a new helper', () => {
    const feedback = new StreamFeedback();
    assert.deepEqual(
      feedback.accept(twcc(0, 3)).map((event) => event.type),
      ['feedback_issue', 'twcc'],
    );
    const flood = Array.from({ length: 200 }, (_, i) => feedback.accept(twcc(1 + i / 10))).flat();
    const dropped = flood.filter((event) => event.type === 'feedback_issue');
    assert.ok(dropped.length > 100 && flood.length - dropped.length <= TWCC_PER_S, `${dropped.length} dropped of 200`);
    feedback.accept(report(0, 1, 99));
    feedback.accept({ type: 'client', event: 'closed', clientId: 1 });
    const again = feedback.accept(report(0, 1, 99))[0]!;
    assert.ok(again.type === 'report' && again.reports === 1, 'a new viewer with the same id starts afresh');
    feedback.accept({ type: 'hello', protocol: 2, pid: 2 });
    const afterRestart = feedback.accept(report(0, 1, 99))[0]!;
    assert.ok(afterRestart.type === 'report' && afterRestart.reports === 1);
  });
});

describe('signalKind', () => {
  it("names the richest signal a viewer gives, with a report viewer's cadence", () => {
    assert.equal(signalKind({ twccAgeMs: 40, tcp: false, reports: 3 }), 'twcc');
    assert.equal(signalKind({ twccAgeMs: 5_000, tcp: false, reports: 3 }), 'rr', 'TWCC a while ago');
    assert.equal(signalKind({ twccAgeMs: 40, tcp: true, reports: 3 }), 'tcp-queue', 'over TCP the send queue steers');
    assert.equal(signalKind({ twccAgeMs: undefined, tcp: false, reports: 3 }), 'rr');
    assert.equal(signalKind({ twccAgeMs: undefined, tcp: false, reports: 0 }), undefined);
    assert.equal(signalLabel('rr', 5_012), 'rr 5.0 s');
    assert.equal(signalLabel('rr', 103.4), 'rr 103 ms');
    assert.equal(signalLabel(undefined, undefined), 'none');
  });
});

describe('Cadence', () => {
  it('is the median interval between reports', () => {
    const cadence = new Cadence();
    assert.equal(cadence.ms(), undefined);
    for (const tMs of [0, 100, 105, 205, 305, 405]) cadence.add(tMs * 1000);
    assert.equal(cadence.ms(), 100);
  });
});
