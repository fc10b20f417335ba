import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_RESTART_POLICY, RestartPolicy } from '../../src/supervisor/restart-policy.ts';

describe('RestartPolicy', () => {
  it('doubles the delay from 0.5 s and caps it at 30 s', () => {
    const policy = new RestartPolicy({ ...DEFAULT_RESTART_POLICY, maxFailures: 100 });
    const delays = Array.from({ length: 8 }, (_, i) => policy.onFailure(i * 60_001, 10));
    assert.deepEqual(
      delays.map((decision) => (decision.action === 'restart' ? decision.delayMs : -1)),
      [500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000],
    );
  });

  it('starts over after a run of 60 s or more', () => {
    const policy = new RestartPolicy();
    policy.onFailure(0, 5);
    policy.onFailure(1_000, 5);
    assert.deepEqual(policy.onFailure(200_000, 60_000), { action: 'restart', delayMs: 500, attempt: 1 });
  });

  it('gives up at the fifth failure within two minutes', () => {
    const policy = new RestartPolicy();
    const decisions = [0, 2_000, 5_000, 10_000, 20_000].map((t) => policy.onFailure(t, 100));
    assert.deepEqual(decisions.map((d) => d.action), ['restart', 'restart', 'restart', 'restart', 'give-up']);
    assert.deepEqual(decisions[4], { action: 'give-up', failuresInWindow: 5, windowS: 120 });
  });

  it('does not count failures older than the window', () => {
    const policy = new RestartPolicy();
    for (const t of [0, 1_000, 2_000, 3_000]) policy.onFailure(t, 100);
    assert.equal(policy.onFailure(125_000, 100).action, 'restart');
  });
});
