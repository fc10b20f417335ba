import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AudioInfo } from '../../src/inputs/probe-result.ts';
import { audioOf, audioText } from '../../src/streams/audio.ts';

const aac: AudioInfo = { codec: 'audio/mpeg', mpegVersion: 4, channels: 2, rate: 48000, decodable: true };
const mp3: AudioInfo = { codec: 'audio/mpeg', mpegVersion: 1, channels: 2, rate: 44100, decodable: true };

describe('audioOf', () => {
  it('passes what RTSP players take as it is: MPEG-4 AAC, Opus up to stereo, mono G.711', () => {
    const passes = (audio: AudioInfo) => audioOf(audio, true);
    assert.deepEqual(passes(aac), { codec: 'aac', passthrough: true, source: 'AAC' });
    assert.deepEqual(passes({ codec: 'audio/x-opus', channels: 2, decodable: true }), {
      codec: 'opus',
      passthrough: true,
      source: 'Opus',
    });
    assert.equal(passes({ codec: 'audio/x-mulaw', channels: 1, decodable: true })?.codec, 'pcmu');
    assert.equal(passes({ codec: 'audio/x-alaw', channels: 1, decodable: true })?.codec, 'pcma');
  });

  it('encodes the rest to AAC: MP3, MPEG-2 AAC, 5.1 Opus, stereo G.711, Vorbis', () => {
    for (const audio of [
      mp3,
      { ...aac, mpegVersion: 2 },
      { codec: 'audio/x-opus', channels: 6, decodable: true },
      { codec: 'audio/x-mulaw', channels: 2, decodable: true },
      { codec: 'audio/x-vorbis', channels: 1, decodable: true },
    ]) {
      const plan = audioOf(audio, true);
      assert.equal(plan?.codec, 'aac', audio.codec);
      assert.equal(plan?.passthrough, false, audio.codec);
    }
  });

  it('sends none without audio, with --no-audio, or when the audio can neither pass nor be decoded', () => {
    assert.equal(audioOf(undefined, true), undefined);
    assert.equal(audioOf(aac, false), undefined);
    assert.equal(audioOf({ ...mp3, decodable: false }, true), undefined);
    assert.equal(audioOf({ ...aac, decodable: false }, true)?.codec, 'aac', 'passing needs no decoder');
  });
});

describe('audioText', () => {
  it('says what the start table shows for each case', () => {
    assert.equal(audioText(audioOf(aac, true), aac, true), "AAC audio (the file's)");
    assert.equal(audioText(audioOf(mp3, true), mp3, true), 'AAC audio (from MP3)');
    assert.equal(audioText(undefined, undefined, true), 'no audio');
    assert.equal(audioText(undefined, aac, false), 'audio off (--no-audio)');
    assert.equal(audioText(undefined, { ...mp3, decodable: false }, true), 'no audio (MP3: no decoder)');
  });
});
