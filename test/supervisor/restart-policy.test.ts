import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RestartPolicy, type RestartDecision } from '../../src/supervisor/restart-policy.ts';

const delayOf = (decision: RestartDecision) => {
  switch (decision.action) {
    case 'restart':
      return decision.delayMs;
    case 'failing':
      return `failing ${decision.delayMs}`;
    case 'give-up':
      return 'give-up';
  }
};

const delaysOf = (policy: RestartPolicy, failures: number, uptimeMs = 10) =>
  Array.from({ length: failures }, () => delayOf(policy.onFailure(uptimeMs)));

/** A policy whose helper got ready once: it has served. */
const servedPolicy = () => {
  const policy = new RestartPolicy();
  policy.onReady();
  return policy;
};

describe('RestartPolicy of a helper that never got ready', () => {
  it('doubles the delay from 0.5 s to 30 s, then gives up at the next failure', () => {
    assert.deepEqual(delaysOf(new RestartPolicy(), 9), [
      500,
      1_000,
      2_000,
      4_000,
      8_000,
      16_000,
      30_000,
      'give-up',
      'give-up',
    ]);
  });

  it('names the failures and the last wait when it gives up', () => {
    const policy = new RestartPolicy();
    delaysOf(policy, 7);
    assert.deepEqual(policy.onFailure(10), { action: 'give-up', failures: 8, lastDelayMs: 30_000 });
  });

  it('starts over after a run of 60 s or more', () => {
    const policy = new RestartPolicy();
    delaysOf(policy, 6);
    assert.deepEqual(policy.onFailure(60_000), { action: 'restart', delayMs: 500, attempt: 1 });
    assert.deepEqual(delaysOf(policy, 7), [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 'give-up']);
  });

  it('a helper that always lasts a minute is restarted forever, each after 0.5 s', () => {
    assert.deepEqual(delaysOf(new RestartPolicy(), 20, 60_000), Array(20).fill(500));
  });
});

describe('RestartPolicy of a helper that has served', () => {
  it('never gives up: past the 30 s wait it is failing, retried every 30 s', () => {
    const delays = delaysOf(servedPolicy(), 100);
    assert.deepEqual(delays.slice(0, 9), [
      500,
      1_000,
      2_000,
      4_000,
      8_000,
      16_000,
      30_000,
      'failing 30000',
      'failing 30000',
    ]);
    assert.deepEqual(new Set(delays.slice(7)), new Set(['failing 30000']));
  });

  it('counts the failures in a row while failing', () => {
    const policy = servedPolicy();
    delaysOf(policy, 9);
    assert.deepEqual(policy.onFailure(10), { action: 'failing', delayMs: 30_000, failures: 10 });
  });

  it('is never given up once it got ready, even after failing to start before', () => {
    const policy = new RestartPolicy({ initialDelayMs: 500, maxDelayMs: 1_000, healthyAfterMs: 60_000 });
    assert.deepEqual(delaysOf(policy, 2), [500, 1_000]);
    policy.onReady();
    assert.deepEqual(delaysOf(policy, 3), ['failing 1000', 'failing 1000', 'failing 1000']);
  });

  it('a healthy run ends the failing: the delays start over', () => {
    const policy = servedPolicy();
    delaysOf(policy, 10);
    assert.deepEqual(policy.onFailure(60_000), { action: 'restart', delayMs: 500, attempt: 1 });
    assert.deepEqual(delaysOf(policy, 8), [
      1_000,
      2_000,
      4_000,
      8_000,
      16_000,
      30_000,
      'failing 30000',
      'failing 30000',
    ]);
  });
});
