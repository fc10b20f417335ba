import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeServeOptions, recordedOptions, type RawServeOptions } from '../../src/config/options.ts';
import { UsageError } from '../../src/config/usage-error.ts';

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
    assert.deepEqual(options.videos, [
      { name: undefined, file: `${process.cwd()}/a.mp4` },
      { name: undefined, file: `${process.cwd()}/b.mp4` },
    ]);
    assert.equal(options.durationS, undefined);
    assert.deepEqual([options.idleTimeoutS, options.maxConnections], [30, 256]);
    assert.deepEqual([options.sessionTimeoutS, options.maxViewers], [60, 20]);
    assert.equal(options.auth, undefined);
    assert.equal(options.httpPort, 8080);
    assert.deepEqual(options.size, { width: 640, height: 480 });
    const ownSize = normalizeServeOptions({ ...defaults, width: undefined, height: undefined });
    assert.deepEqual([ownSize.size, ownSize.maxSize], [undefined, { width: 1280, height: 720 }]);
    assert.equal(normalizeServeOptions({ ...defaults, http: 0 }).httpPort, 0, '--http 0 turns the HTTP side off');
  });

  it('takes WebRTC ports as MIN-MAX and STUN/TURN servers as webrtcbin writes them (stun: as browsers do too)', () => {
    const options = normalizeServeOptions({
      ...defaults,
      webrtcPorts: '40000-40099',
      iceServer: ['stun:stun.example.net:3478', 'turn://u:p@turn.example.net:3478'],
    });
    assert.deepEqual(options.webrtcPorts, { min: 40000, max: 40099 });
    assert.deepEqual(options.iceServers, ['stun://stun.example.net:3478', 'turn://u:p@turn.example.net:3478']);
    assert.equal(options.webrtcConnectTimeoutS, 30);
    const bad: RawServeOptions[] = [
      { webrtcPorts: '40099-40000' },
      { webrtcPorts: '0-10' },
      { webrtcPorts: '40000' },
      { iceServer: 'http://example.net' },
      { iceServer: 'turn://u:p@host:3478/path' },
      { webrtcConnectTimeout: 0 },
    ];
    for (const raw of bad)
      assert.throws(() => normalizeServeOptions({ ...defaults, ...raw }), UsageError, JSON.stringify(raw));
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

  it('sends audio unless told --no-audio (or `audio: false` in a config file); anything else is a usage error', () => {
    assert.equal(normalizeServeOptions(defaults).audio, true);
    assert.equal(normalizeServeOptions({ ...defaults, audio: false }).audio, false);
    assert.throws(() => normalizeServeOptions({ ...defaults, audio: 'no' }), {
      name: 'UsageError',
      message: "--audio must be true or false, got 'no'",
    });
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
      [{ port: 'abc' }, /--port must be a whole number from 1 to 65535, got 'abc'$/],
      [{ staticBitrate: '5k' }, /--static-bitrate must be a whole number from 50 to 100000, got '5k'$/],
      [{ port: [9999, 9998] }, /--port was given 2 times \(9999 9998\); give it once/],
      [{ host: ['a', 'b'] }, /--host was given 2 times \('a' 'b'\)/],
      [{ port: 70000 }, /--port .* got 70000/],
      [{ staticBitrate: -5 }, /--static-bitrate .* got -5/],
      [{ width: 641 }, /--width must be even, got 641/],
      [{ width: undefined }, /give both --width and --height, or neither .* got only --height/],
      [{ maxSize: '1280' }, /--max-size must be WIDTHxHEIGHT, e\.g\. 1280x720, got '1280'/],
      [{ maxSize: '1281x720' }, /--max-size width must be even, got 1281/],
      [{ fps: 2.5 }, /--fps .* got 2.5/],
      [{ duration: 0 }, /--duration must be a number of seconds above 0, got 0/],
      [{ duration: 'soon' }, /--duration .* got 'soon'/],
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
      [{ sessionTimeout: 'long' }, /--session-timeout .* got 'long'/],
      [{ maxViewers: 0 }, /--max-viewers must be a whole number from 1 to 10000, got 0/],
      [{ maxViewers: 100_001 }, /--max-viewers .* got 100001/],
      [{ http: 70_000 }, /--http must be a whole number from 0 to 65535, got 70000/],
      [{ http: 8554 }, /--http 8554 is the RTSP port or one of the helper ports 8555\.\.8557/],
      [{ http: 8557 }, /--http 8557 is the RTSP port/],
      [{ encoderPreset: 'slow' }, /--encoder-preset must be one of ultrafast, superfast, veryfast, got 'slow'/],
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

describe('--videos and --out: paths from where the user is, names', () => {
  it('resolves relative files and --out against the folder given (the one the command was typed in)', () => {
    const options = normalizeServeOptions(
      { ...defaults, videos: ['hd.mp4', '/abs/b.mp4', '../up.mp4'], out: 'runs' },
      '/home/u/clips',
    );
    assert.deepEqual(
      options.videos.map((video) => video.file),
      ['/home/u/clips/hd.mp4', '/abs/b.mp4', '/home/u/up.mp4'],
    );
    assert.equal(options.outDir, '/home/u/clips/runs');
  });

  it('takes NAME=FILE and {name, file}; a path with = in a folder or after ./ is a file', () => {
    const options = normalizeServeOptions(
      {
        ...defaults,
        videos: [
          'forest=forest.mp4',
          { name: 'gate-camera', file: '/v/gate.mp4' },
          './a=b.mp4',
          'd/x=y.mp4',
          'plain.mp4',
        ],
      },
      '/c',
    );
    assert.deepEqual(options.videos, [
      { name: 'forest', file: '/c/forest.mp4' },
      { name: 'gate-camera', file: '/v/gate.mp4' },
      { name: undefined, file: '/c/a=b.mp4' },
      { name: undefined, file: '/c/d/x=y.mp4' },
      { name: undefined, file: '/c/plain.mp4' },
    ]);
  });

  it('refuses an empty --videos, bad or repeated names, quoting them', () => {
    const cases: Array<[unknown, RegExp]> = [
      [[], /--videos needs at least one file/],
      [['a b=x.mp4'], /--videos a b=x.mp4: a name is 1 to 64 letters.*got 'a b'/],
      [['video2=x.mp4'], /'video2' is a positional mount name/],
      [['f=a.mp4', 'f=b.mp4'], /the name 'f' is given twice/],
      [['f='], /--videos f=: no file after '='/],
      [[{ name: 'x' }], /needs a file/],
      [[{ file: 'a.mp4', size: 3 }], /unknown key\(s\) size/],
      [[42], /each entry is a file, NAME=FILE or \{name, file\}, got 42/],
    ];
    for (const [videos, message] of cases) {
      assert.throws(
        () => normalizeServeOptions({ ...defaults, videos }),
        (error: unknown) => error instanceof UsageError && message.test(error.message),
        JSON.stringify(videos),
      );
    }
  });
});
