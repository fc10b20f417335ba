// parseDiscovererOutput / interpretDiscovery over real gst-discoverer-1.0 1.22 outputs
// (captured with LC_ALL=C; paths rewritten to /tmp/fixtures/).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { interpretDiscovery, parseClockTime, parseDiscovererOutput } from '../../src/inputs/discoverer-output.ts';
import { classifyFsError, classifyStats } from '../../src/inputs/file-checks.ts';
import type { ProbeResult } from '../../src/inputs/probe-result.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/discoverer/${name}`, import.meta.url), 'utf8');
const verdict = (name: string): ProbeResult => interpretDiscovery('clip', parseDiscovererOutput(fixture(name)));
const failureCode = (result: ProbeResult): string => (result.ok ? 'ok' : result.code);

describe('parseDiscovererOutput', () => {
  it('reads size, frame rate, duration and codec of an H.264 MP4 (-v)', () => {
    const report = parseDiscovererOutput(fixture('ok-h264-mp4.txt'));
    assert.equal(report.result, 'ok');
    assert.equal(report.durationS, 3.333333333);
    assert.equal(report.seekable, true);
    assert.deepEqual(
      report.streams.map((s) => [s.type, s.codec]),
      [
        ['container', 'video/quicktime'],
        ['video', 'video/x-h264'],
      ],
    );
    assert.deepEqual(report.streams[1], {
      type: 'video',
      image: false,
      codec: 'video/x-h264',
      width: 640,
      height: 480,
      frameRate: [30, 1],
    });
  });

  it('keeps video and audio apart, and is not confused by a long one-line streamheader', () => {
    const report = parseDiscovererOutput(fixture('ok-vp8-vorbis-webm.txt'));
    assert.deepEqual(
      report.streams.map((s) => [s.type, s.codec, s.width, s.frameRate]),
      [
        ['container', 'video/webm', undefined, undefined],
        ['video', 'video/x-vp8', 320, [25, 1]],
        ['audio', 'audio/x-vorbis', undefined, undefined],
      ],
    );
    assert.equal(report.durationS, 2.4);
  });

  it("reads an audio stream's codec, MPEG version, channels and rate from its caps, and whether it decodes", () => {
    const vorbis = interpretDiscovery('/tmp/a.webm', parseDiscovererOutput(fixture('ok-vp8-vorbis-webm.txt')));
    assert.ok(vorbis.ok);
    assert.deepEqual(vorbis.audio, { codec: 'audio/x-vorbis', channels: 1, rate: 44100, decodable: true });
    const aac = interpretDiscovery('/tmp/a.mp4', parseDiscovererOutput(fixture('missing-aac-decoder.txt')));
    assert.ok(aac.ok);
    assert.deepEqual(aac.audio, { codec: 'audio/mpeg', mpegVersion: 4, channels: 1, rate: 44100, decodable: false });
    const silent = interpretDiscovery('/tmp/a.mp4', parseDiscovererOutput(fixture('ok-h264-mp4.txt')));
    assert.ok(silent.ok);
    assert.equal(silent.audio, undefined);
  });

  it('also reads the non-verbose layout (descriptions instead of caps)', () => {
    const report = parseDiscovererOutput(fixture('ok-vp8-vorbis-webm-nonverbose.txt'));
    assert.deepEqual(
      report.streams.map((s) => [s.type, s.codec]),
      [
        ['container', 'WebM'],
        ['video', 'VP8'],
        ['audio', 'Vorbis'],
      ],
    );
  });

  it('reads error results with their message', () => {
    assert.deepEqual(parseDiscovererOutput(fixture('truncated-mp4.txt')), {
      result: 'error',
      error: 'This file contains no playable streams.',
      streams: [],
    });
    assert.equal(parseDiscovererOutput(fixture('text-file.txt')).error, 'Could not determine type of stream.');
  });

  it('reads missing plugins, telling audio decoders from the rest', () => {
    const video = parseDiscovererOutput(fixture('missing-h264-decoder.txt'));
    assert.equal(video.result, 'missing-plugins');
    assert.deepEqual(video.missingPlugins, ['H.264 (High Profile) decoder']);
    assert.equal(video.missingBeyondAudio, true);
    const audio = parseDiscovererOutput(fixture('missing-aac-decoder.txt'));
    assert.deepEqual(audio.missingPlugins, ['MPEG-4 AAC decoder']);
    assert.equal(audio.missingBeyondAudio, false);
    assert.equal(audio.streams.find((s) => s.type === 'video')?.width, 320);
  });

  it('calls empty or foreign text unrecognized', () => {
    assert.equal(parseDiscovererOutput('').result, 'unrecognized');
    assert.equal(parseDiscovererOutput('Segmentation fault\n').result, 'unrecognized');
  });

  it('does not take tag values for stream fields', () => {
    const text = fixture('ok-h264-mp4.txt').replace('      encoder: x264', '      encoder: x264\n      Width: 9999');
    assert.equal(parseDiscovererOutput(text).streams[1]?.width, 640);
  });
});

describe('parseClockTime', () => {
  it('parses GStreamer clock times and rejects GST_CLOCK_TIME_NONE', () => {
    assert.equal(parseClockTime('0:00:10.000000000'), 10);
    assert.equal(parseClockTime('1:02:03.500000000'), 3723.5);
    assert.equal(parseClockTime('99:99:99.999999999'), undefined);
    assert.equal(parseClockTime('garbage'), undefined);
  });
});

describe('interpretDiscovery', () => {
  it('accepts a video file', () => {
    assert.deepEqual(verdict('ok-h264-mp4.txt'), {
      ok: true,
      path: 'clip',
      width: 640,
      height: 480,
      fps: 30,
      durationS: 3.333333333,
      codec: 'video/x-h264',
    });
  });

  it('keeps fractional frame rates exact (30000/1001 in MPEG-TS)', () => {
    const result = verdict('ok-ntsc-ts.txt');
    assert.ok(result.ok);
    assert.equal(result.fps, 30000 / 1001);
    assert.equal(result.width, 320);
  });

  it('accepts a video whose only missing plugin is an audio decoder', () => {
    const result = verdict('missing-aac-decoder.txt');
    assert.ok(result.ok, JSON.stringify(result));
  });

  const failures: Array<[string, string, RegExp]> = [
    ['audio-only-wav.txt', 'no-video-stream', /only audio/],
    ['audio-only-mp4.txt', 'no-video-stream', /only audio/],
    ['image-png.txt', 'still-image', /still image/],
    ['truncated-mp4.txt', 'not-decodable', /corrupt or truncated/],
    ['text-file.txt', 'not-decodable', /not a media file/],
    ['dev-null.txt', 'not-decodable', /too little data/],
    ['missing-file.txt', 'not-found', /does not exist/],
    ['permission-denied.txt', 'not-readable', /cannot be read/],
    ['missing-h264-decoder.txt', 'missing-plugin', /H\.264 \(High Profile\) decoder/],
  ];
  for (const [name, code, reason] of failures) {
    it(`${name} -> ${code}`, () => {
      const result = verdict(name);
      assert.equal(failureCode(result), code);
      assert.ok(!result.ok);
      assert.match(result.reason, reason);
      assert.equal(result.path, 'clip');
    });
  }

  it('never turns unrecognised output into success', () => {
    assert.equal(failureCode(interpretDiscovery('x', parseDiscovererOutput('whatever\n'))), 'not-decodable');
  });
});

describe('file checks', () => {
  const error = (code: string): NodeJS.ErrnoException => Object.assign(new Error(code), { code });

  it('maps permission errors to not-readable (tests run as root, which passes every check)', () => {
    const result = classifyFsError('secret.mp4', error('EACCES'));
    assert.equal(result.code, 'not-readable');
    assert.match(result.reason, /permission denied/);
  });

  it('maps ENOENT and ENOTDIR to not-found', () => {
    assert.equal(classifyFsError('a', error('ENOENT')).code, 'not-found');
    assert.equal(classifyFsError('a/b', error('ENOTDIR')).code, 'not-found');
  });

  it('names the kind of a non-regular file', () => {
    const stats = (kind: string, size = 1) => ({
      isFile: () => kind === 'file',
      isDirectory: () => kind === 'dir',
      isFIFO: () => kind === 'fifo',
      isCharacterDevice: () => kind === 'chr',
      isBlockDevice: () => kind === 'blk',
      isSocket: () => kind === 'sock',
      size,
    });
    assert.equal(classifyStats('v', stats('file')), undefined);
    assert.equal(classifyStats('v', stats('file', 0))?.reason, 'is empty (0 bytes)');
    assert.equal(classifyStats('v', stats('dir'))?.code, 'directory');
    assert.match(classifyStats('v', stats('blk'))?.reason ?? '', /block device/);
    assert.match(classifyStats('v', stats('sock'))?.reason ?? '', /socket/);
  });
});
