import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeServeOptions, recordedOptions, UsageError, type RawServeOptions } from '../../src/config/options.ts';

const defaults: RawServeOptions = {
  host: '127.0.0.1',
  port: 8554,
  staticBitrate: 5000,
  startBitrate: 2000,
  minBitrate: 300,
  maxBitrate: 8000,
  width: 640,
  height: 480,
  fps: 0,
  out: 'out',
};

describe('normalizeServeOptions', () => {
  it('accepts the defaults and puts the helper ports right after the public port', () => {
    const options = normalizeServeOptions({ ...defaults, videos: ['a.mp4', 'b.mp4'] });
    assert.equal(options.firstHelperPort, 8555);
    assert.deepEqual(options.videos, ['a.mp4', 'b.mp4']);
    assert.equal(options.durationS, undefined);
    assert.deepEqual([options.idleTimeoutS, options.maxConnections], [30, 256]);
    assert.deepEqual([options.sessionTimeoutS, options.maxViewers], [60, 20]);
    assert.equal(options.auth, undefined);
    assert.equal(options.httpPort, 8080);
    assert.equal(normalizeServeOptions({ ...defaults, http: 0 }).httpPort, 0, '--http 0 turns the HTTP side off');
  });

  it('reserves one helper port per video: the three sample videos take 8555..8557, so 8558 is free', () => {
    assert.equal(normalizeServeOptions({ ...defaults, http: 8558 }).httpPort, 8558);
    assert.equal(
      normalizeServeOptions({ ...defaults, helperPorts: 8551 }).firstHelperPort,
      8551,
      '8551..8553 leaves 8554 to --port',
    );
    assert.equal(
      normalizeServeOptions({ ...defaults, helperPorts: 65533 }).firstHelperPort,
      65533,
      '65533..65535 fits',
    );
  });

  it('takes --encoder-preset among the measured presets, superfast by default', () => {
    assert.equal(normalizeServeOptions(defaults).encoderPreset, 'superfast');
    assert.equal(normalizeServeOptions({ ...defaults, encoderPreset: 'ultrafast' }).encoderPreset, 'ultrafast');
  });

  it('takes --auth as user:password, the password possibly with colons, and keeps it out of the recorded options', () => {
    const options = normalizeServeOptions({ ...defaults, auth: 'viewer:a:b c', authBasic: true });
    assert.deepEqual(options.auth, { user: 'viewer', password: 'a:b c', basic: true });
    assert.deepEqual((recordedOptions(options) as { auth: unknown }).auth, { user: 'viewer', basic: true });
    assert.doesNotMatch(JSON.stringify(recordedOptions(options)), /a:b c/);
  });

  it('rejects bad numbers, quoting the option and the value', () => {
    const cases: Array<[RawServeOptions, RegExp]> = [
      [{ port: Number.NaN }, /--port must be a whole number from 1 to 65535, got null/],
      [{ port: 70000 }, /--port .* got 70000/],
      [{ staticBitrate: -5 }, /--static-bitrate .* got -5/],
      [{ width: 641 }, /--width must be even, got 641/],
      [{ fps: 2.5 }, /--fps .* got 2.5/],
      [{ duration: 0 }, /--duration must be a number of seconds above 0, got 0/],
      [{ duration: 'soon' }, /--duration .* got "soon"/],
      [{ minBitrate: 3000 }, /--min-bitrate <= --start-bitrate <= --max-bitrate, got 3000 <= 2000 <= 8000/],
      [{ helperPorts: 65534 }, /helper ports 65534\.\.65536 go past 65535/],
      [{ helperPorts: 8552 }, /--port 8554 falls inside the helper ports 8552\.\.8554/],
      [{ host: '' }, /--host must be a non-empty string/],
      [{ idleTimeout: 0 }, /--idle-timeout must be a number of seconds above 0, got 0/],
      [{ maxConnections: 0 }, /--max-connections must be a whole number from 1 to 10000, got 0/],
      [{ idleTimeout: 3601 }, /--idle-timeout must be at most 3600 seconds, got 3601/],
      [{ auth: 'nocolon' }, /--auth must be user:password/],
      [{ auth: ':password' }, /--auth must be user:password/],
      [{ auth: 'user:' }, /--auth must be user:password/],
      [{ auth: 'us"er:pw' }, /without control characters, quotes or backslashes/],
      [{ auth: 'user:p\nw' }, /without control characters, quotes or backslashes/],
      [{ auth: 'user:p\\w' }, /without control characters, quotes or backslashes/],
      [{ authBasic: true }, /--auth-basic needs --auth user:password/],
      [{ sessionTimeout: 0 }, /--session-timeout must be a whole number from 1 to 3600, got 0/],
      [{ sessionTimeout: 2.5 }, /--session-timeout .* got 2.5/],
      [{ sessionTimeout: 'long' }, /--session-timeout .* got "long"/],
      [{ maxViewers: 0 }, /--max-viewers must be a whole number from 1 to 10000, got 0/],
      [{ maxViewers: 100_001 }, /--max-viewers .* got 100001/],
      [{ http: 70_000 }, /--http must be a whole number from 0 to 65535, got 70000/],
      [{ http: 8554 }, /--http 8554 is the RTSP port or one of the helper ports 8555\.\.8557/],
      [{ http: 8557 }, /--http 8557 is the RTSP port/],
      [{ encoderPreset: 'slow' }, /--encoder-preset must be one of ultrafast, superfast, veryfast, got "slow"/],
    ];
    for (const [override, message] of cases) {
      assert.throws(
        () => normalizeServeOptions({ ...defaults, ...override }),
        (error: unknown) => {
          assert.ok(error instanceof UsageError);
          assert.match(error.message, message);
          return true;
        },
      );
    }
  });
});
