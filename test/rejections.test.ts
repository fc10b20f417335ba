import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DETAIL_PER_S } from '../src/metrics/counted-log.ts';
import { rejectionFields, rejectionLog, type RejectionFields } from '../src/metrics/rejections.ts';

const rejected = (reason: string, clientId: number, status?: number) =>
  rejectionFields({ type: 'rejected', clientId, address: '127.0.0.1', reason, status });

function logOf() {
  const written: Array<RejectionFields & { count: number; tMs: number }> = [];
  const log = rejectionLog((fields, tMs) => written.push({ ...fields, tMs }));
  return { log, written };
}

describe('rejectionLog (a CountedLog)', () => {
  it('writes each rejection in detail while they are few', () => {
    const { log, written } = logOf();
    log.add(rejected('unauthorized', 1, 401), 100);
    log.add(rejected('idle_timeout', 2), 2_500);
    assert.deepEqual(written, [
      {
        reason: 'unauthorized',
        count: 1,
        status: 401,
        method: undefined,
        client_id: 1,
        address: '127.0.0.1',
        tMs: 100,
      },
      {
        reason: 'idle_timeout',
        count: 1,
        status: undefined,
        method: undefined,
        client_id: 2,
        address: '127.0.0.1',
        tMs: 2_500,
      },
    ]);
    assert.deepEqual(log.totals(), { unauthorized: 1, idle_timeout: 1 });
  });

  it('past the detail budget of a second, counts per reason and writes one record each when the second is over', () => {
    const { log, written } = logOf();
    for (let i = 0; i < 1_000; i++) log.add(rejected(i % 2 ? 'evicted' : 'request_timeout', i), 10 + i / 2);
    assert.equal(written.length, DETAIL_PER_S, 'only the detailed ones so far');
    log.tick(900);
    assert.equal(written.length, DETAIL_PER_S, 'the second is not over');
    log.tick(1_010);
    const counted = written.slice(DETAIL_PER_S);
    assert.deepEqual(
      counted.map(({ reason, count, tMs }) => ({ reason, count, tMs })),
      [
        { reason: 'request_timeout', count: 490, tMs: 1_010 },
        { reason: 'evicted', count: 490, tMs: 1_010 },
      ],
    );
    assert.equal(
      written.reduce((sum, record) => sum + record.count, 0),
      1_000,
      'every rejection counted once',
    );
    assert.deepEqual(log.totals(), { request_timeout: 500, evicted: 500 });
    log.add(rejected('evicted', 9_999), 1_020);
    assert.equal(written.at(-1)?.client_id, 9_999, 'a new second starts in detail again');
  });

  it('flush writes what is held back, once', () => {
    const { log, written } = logOf();
    for (let i = 0; i <= DETAIL_PER_S; i++) log.add(rejected('evicted', i), 0);
    log.flush(500);
    log.flush(600);
    assert.deepEqual(written.at(-1), { reason: 'evicted', count: 1, status: undefined, tMs: 500 });
    assert.equal(written.length, DETAIL_PER_S + 1);
  });
});
