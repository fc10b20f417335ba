import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLog } from '../../src/ui/log.ts';

describe('createLog', () => {
  it('with --quiet drops info lines but never a warning or an error: a crash, a restart, failing and failed still reach the console', (t) => {
    const written: string[] = [];
    t.mock.method(process.stderr, 'write', (text: string) => written.push(text));
    const log = createLog({ quiet: true });
    log.info('stopping (SIGTERM)');
    log.warn('video1+video2: helper was killed by SIGABRT after 1.0 s; failing (8 failures in a row)');
    log.error('could not append to metrics.ndjson');
    assert.deepEqual(
      written.map((line) => line.replace(/^\d\d:\d\d:\d\d /, '')),
      [
        'warning: video1+video2: helper was killed by SIGABRT after 1.0 s; failing (8 failures in a row)\n',
        'error: could not append to metrics.ndjson\n',
      ],
    );
  });

  it('without it prints all three', (t) => {
    const written: string[] = [];
    t.mock.method(process.stderr, 'write', (text: string) => written.push(text));
    const log = createLog({ quiet: false });
    log.info('a');
    log.warn('b');
    log.error('c');
    assert.equal(written.length, 3);
  });
});
