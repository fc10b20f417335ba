import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AuthThrottle, DEFAULT_AUTH_THROTTLE } from '../../src/front-door/auth-throttle.ts';

/** A throttle on a clock the test moves. */
function throttleAt(options = DEFAULT_AUTH_THROTTLE): { throttle: AuthThrottle; advance: (ms: number) => void } {
  let nowMs = 1_000_000;
  return { throttle: new AuthThrottle(options, () => nowMs), advance: (ms) => (nowMs += ms) };
}

function failTimes(throttle: AuthThrottle, address: string, times: number): void {
  for (let i = 0; i < times; i += 1) throttle.failed(address);
}

describe('AuthThrottle', () => {
  test('an address may fail 10 times in a row; after the 10th it is locked', () => {
    const { throttle } = throttleAt();
    failTimes(throttle, '192.0.2.7', 9);
    assert.equal(throttle.locked('192.0.2.7'), false, 'after 9');
    throttle.failed('192.0.2.7');
    assert.equal(throttle.locked('192.0.2.7'), true, 'after 10');
    assert.equal(throttle.locked('192.0.2.8'), false, 'another address is not');
  });

  test('the bucket refills one failure every 6 s, up to 10 again', () => {
    const { throttle, advance } = throttleAt();
    failTimes(throttle, '192.0.2.7', 10);
    advance(5_999);
    assert.equal(throttle.locked('192.0.2.7'), true, 'at 5.999 s');
    advance(1);
    assert.equal(throttle.locked('192.0.2.7'), false, 'one failure allowed at 6 s');
    throttle.failed('192.0.2.7');
    assert.equal(throttle.locked('192.0.2.7'), true, 'and spent');
    advance(60_000);
    failTimes(throttle, '192.0.2.7', 9);
    assert.equal(throttle.locked('192.0.2.7'), false, 'a minute later: 10 again, not more');
    throttle.failed('192.0.2.7');
    assert.equal(throttle.locked('192.0.2.7'), true);
  });

  test('an IPv4 client is one address whether its socket writes it plain or IPv4-mapped', () => {
    const { throttle } = throttleAt();
    failTimes(throttle, '::ffff:192.0.2.7', 5);
    failTimes(throttle, '192.0.2.7', 5);
    assert.equal(throttle.locked('192.0.2.7'), true);
    assert.equal(throttle.locked('::FFFF:192.0.2.7'), true);
    assert.equal(throttle.size, 1);
  });

  test('the table forgets addresses whose bucket is full again, and past its cap the one that failed longest ago', () => {
    const { throttle, advance } = throttleAt({ ...DEFAULT_AUTH_THROTTLE, maxAddresses: 3 });
    failTimes(throttle, '192.0.2.1', 10);
    advance(1_000);
    for (const address of ['192.0.2.2', '192.0.2.3']) throttle.failed(address);
    throttle.failed('192.0.2.4');
    assert.equal(throttle.size, 3);
    assert.equal(throttle.locked('192.0.2.1'), false, 'the oldest was forgotten, locked or not');
    // 6 s on, .2 .3 and .4 (one failure each) are full again: the next failure sweeps them.
    advance(6_000);
    throttle.failed('192.0.2.5');
    assert.equal(throttle.size, 1);
    const many = throttleAt();
    for (let i = 0; i < 20_000; i += 1) many.throttle.failed(`2001:db8::${i.toString(16)}`);
    assert.equal(many.throttle.size, DEFAULT_AUTH_THROTTLE.maxAddresses, 'the default cap');
  });
});
