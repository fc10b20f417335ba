import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { frontDoorLog } from '../../src/serve/front-door-log.ts';

describe('frontDoorLog', () => {
  it('records every listening-socket error and warns at most once per 10 s, saying how many it held back', () => {
    const warnings: string[] = [];
    const records: string[] = [];
    let now = 0;
    const log = { info: () => {}, error: () => {}, warn: (message: string) => warnings.push(message) };
    const door = frontDoorLog(
      log,
      (message) => records.push(message),
      () => now,
    );
    const accept = { kind: 'server-error', code: 'EMFILE', message: 'accept EMFILE' } as const;
    door(accept);
    now = 5_000;
    door(accept);
    door(accept);
    now = 10_000;
    door(accept);
    assert.deepEqual(warnings, [
      'front door: EMFILE: accept EMFILE',
      'front door: EMFILE: accept EMFILE (2 more since the last warning)',
    ]);
    assert.equal(records.length, 4);
  });

  it('leaves requests and closed connections to the counters', () => {
    const warnings: string[] = [];
    const door = frontDoorLog({ info: () => {}, error: () => {}, warn: (message) => warnings.push(message) }, () =>
      assert.fail('nothing to record'),
    );
    door({ kind: 'refused', remote: '127.0.0.1:1', openConnections: 256 });
    door({ kind: 'socket-error', remote: '127.0.0.1:1', code: 'ECONNRESET', message: 'reset' });
    door({ kind: 'closed', remote: '127.0.0.1:1', cause: 'idle-timeout' });
    assert.deepEqual(warnings, []);
  });
});
