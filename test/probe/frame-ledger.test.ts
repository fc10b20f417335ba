import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FrameLedger } from '../../src/probe/frame-ledger.ts';

describe('frame ledger', () => {
  it('counts unique, repeated and skipped source frames', () => {
    const ledger = new FrameLedger(300);
    for (const stamp of [10, 11, 11, 12, 15, 16]) ledger.identify(stamp, undefined);
    assert.deepEqual(ledger.counts(), {
      decoded: 6,
      identified: 6,
      inferred: 0,
      unidentified: 0,
      unique: 5,
      repeated: 1,
      produced: 7,
      skipped: 2,
    });
  });

  it('follows the clip around its loop: the next loop continues the count', () => {
    const ledger = new FrameLedger(300);
    const sources = [297, 298, 299, 0, 1].map((stamp) => ledger.identify(stamp, undefined).source);
    assert.deepEqual(sources, [297, 298, 299, 300, 301]);
    assert.equal(ledger.counts().skipped, 0);
  });

  it('without the clip length, takes one more than the highest stamp seen', () => {
    const ledger = new FrameLedger();
    const sources = [0, 100, 200, 299, 2].map((stamp) => ledger.identify(stamp, undefined).source);
    assert.deepEqual(sources, [0, 100, 200, 299, 302]);
  });

  it('infers an unreadable stamp from the presentation time since the last stamp read', () => {
    const ledger = new FrameLedger(300, 1000 / 30);
    ledger.identify(20, 1000);
    const damaged = ledger.identify(undefined, 1000 + 2 * (1000 / 30));
    assert.deepEqual(damaged, { stamp: 22, source: 22, inferred: true, repeated: false });
    assert.deepEqual(
      ledger.identify(undefined, undefined),
      { inferred: false, repeated: false },
      'no time: no inference',
    );
    const counts = ledger.counts();
    assert.equal(counts.inferred, 1);
    assert.equal(counts.unidentified, 1);
    assert.equal(counts.identified, 2);
  });

  it('a small step back is a repeat or a late frame, not a new loop', () => {
    const ledger = new FrameLedger(300);
    ledger.identify(150, undefined);
    assert.equal(ledger.identify(149, undefined).source, 149);
  });
});
