import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../../src/config/usage-error.ts';
import { normalizeBenchOptions } from '../../scripts/bench/options.ts';
import {
  capacityAt,
  capacityDrops,
  checkScheduleFits,
  DEFAULT_SCHEDULE,
  meanCapacity,
  parseSchedule,
} from '../../scripts/bench/schedule.ts';

describe('capacity schedule', () => {
  it('parses the RFC 8867 §5.1 default', () => {
    assert.deepEqual(parseSchedule(DEFAULT_SCHEDULE), [
      { tS: 0, kbps: 1000 },
      { tS: 40, kbps: 2500 },
      { tS: 60, kbps: 600 },
      { tS: 80, kbps: 1000 },
    ]);
  });

  for (const [raw, why] of [
    ['', /empty/],
    ['0:1000,abc', /"abc" that is not seconds:kbit\/s/],
    ['5:1000', /must start at 0 s/],
    ['0:1000,40:2500,30:600', /increasing times \(40 then 30\)/],
    ['0:10', /rate 10 outside 50\.\.1000000/],
    ['0:1000;40:2500', /not seconds:kbit\/s/],
  ] as const) {
    it(`refuses ${JSON.stringify(raw)}, naming --schedule and quoting the value`, () => {
      assert.throws(
        () => parseSchedule(raw),
        (error: unknown) => {
          assert.ok(error instanceof UsageError);
          assert.match(error.message, /^--schedule /);
          assert.match(error.message, why);
          assert.ok(error.message.includes(JSON.stringify(raw)), error.message);
          return true;
        },
      );
    });
  }

  it('refuses a step at or after the end of the run', () => {
    assert.throws(
      () => checkScheduleFits(parseSchedule('0:1000,30:600'), 30),
      /--schedule has a step at 30 s, not before --duration 30 s/,
    );
    assert.throws(
      () =>
        normalizeBenchOptions({
          schedule: '0:1000,120:600',
          duration: 100,
          video: 'v.mp4',
          transport: 'both',
          out: 'out',
        }),
      /--schedule/,
    );
  });

  it('gives the capacity at a time, its mean and its drops', () => {
    const steps = parseSchedule(DEFAULT_SCHEDULE);
    assert.equal(capacityAt(steps, 0), 1000);
    assert.equal(capacityAt(steps, 59.5), 2500);
    assert.equal(capacityAt(steps, 60), 600);
    assert.equal(meanCapacity(steps, 100), (40 * 1000 + 20 * 2500 + 20 * 600 + 20 * 1000) / 100);
    assert.deepEqual(capacityDrops(steps, 100), [{ step: 2, tS: 60, fromKbps: 2500, toKbps: 600, untilS: 80 }]);
  });
});

describe('bench options', () => {
  it('normalises transports and refuses bad values by name', () => {
    const options = normalizeBenchOptions({
      schedule: DEFAULT_SCHEDULE,
      duration: 100,
      video: 'v.mp4',
      transport: 'both',
      out: 'out',
    });
    assert.deepEqual(options.transports, ['udp', 'tcp']);
    assert.equal(options.source, 'file');
    const camera = { schedule: DEFAULT_SCHEDULE, duration: 100, video: 'v.mp4', transport: 'udp', out: 'out' };
    assert.equal(normalizeBenchOptions({ ...camera, source: 'rtsp' }).source, 'rtsp');
    assert.throws(
      () => normalizeBenchOptions({ ...camera, source: 'srt' }),
      /--source must be file or rtsp, got "srt"/,
    );
    assert.throws(
      () =>
        normalizeBenchOptions({ ...options, schedule: DEFAULT_SCHEDULE, duration: 0, transport: 'udp', out: 'out' }),
      /--duration .* got 0/,
    );
    assert.throws(
      () =>
        normalizeBenchOptions({
          schedule: DEFAULT_SCHEDULE,
          duration: 100,
          video: 'v.mp4',
          transport: 'quic',
          out: 'out',
        }),
      /--transport must be udp, tcp or both, got "quic"/,
    );
  });
});
