import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RestartPolicy } from '../../src/supervisor/restart-policy.ts';

const delaysOf = (policy: RestartPolicy, failures: number, uptimeMs = 10) =>
  Array.from({ length: failures }, () => {
    const decision = policy.onFailure(uptimeMs);
    return decision.action === 'restart' ? decision.delayMs : 'give-up';
  });

describe('RestartPolicy', () => {
  it('doubles the delay from 0.5 s to 30 s, then gives up at the next failure', () => {
    assert.deepEqual(delaysOf(new RestartPolicy(), 9), [500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 'give-up', 'give-up']);
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
