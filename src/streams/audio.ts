// What a video's mounts send as audio: the file's own when the helper can send it as it is (AAC,
// Opus, G.711: what RTSP players take), else the file's audio encoded to AAC; none for a file
// without audio or with --no-audio. The helper decides again from the decoded caps
// (native/source/audio-codec.c); the rules below are its own, so both agree.
import type { AudioInfo } from '../inputs/probe-result.ts';

export type AudioCodec = 'aac' | 'opus' | 'pcmu' | 'pcma';

export interface AudioPlan {
  /** What the mounts send (the helper's --audio). */
  codec: AudioCodec;
  /** The file's audio goes out as it is, not decoded and encoded again. */
  passthrough: boolean;
  /** The file's audio codec as people call it: `AAC`, `MP3`, `Vorbis`; a live source's: "the source's". */
  source: string;
}

const CODEC_NAMES: Record<AudioCodec, string> = { aac: 'AAC', opus: 'Opus', pcmu: 'G.711 µ-law', pcma: 'G.711 A-law' };

function sourceName(audio: AudioInfo): string {
  switch (audio.codec) {
    case 'audio/mpeg':
      return audio.mpegVersion === 1 ? 'MP3' : 'AAC';
    case 'audio/x-opus':
      return 'Opus';
    case 'audio/x-mulaw':
      return 'G.711 µ-law';
    case 'audio/x-alaw':
      return 'G.711 A-law';
    case 'audio/x-vorbis':
      return 'Vorbis';
    case 'audio/x-flac':
      return 'FLAC';
    case 'audio/x-ac3':
      return 'AC-3';
    case 'audio/x-raw':
      return 'PCM';
    default:
      return audio.codec;
  }
}

/** The codec the file's audio passes as, if it can: rtpmp4gpay takes MPEG-4 AAC, rtpopuspay up to two channels, G.711's payloaders one. */
function passesAs(audio: AudioInfo): AudioCodec | undefined {
  const channels = audio.channels ?? 1;
  switch (audio.codec) {
    case 'audio/mpeg':
      return audio.mpegVersion === 4 ? 'aac' : undefined;
    case 'audio/x-opus':
      return channels <= 2 ? 'opus' : undefined;
    case 'audio/x-mulaw':
      return channels === 1 ? 'pcmu' : undefined;
    case 'audio/x-alaw':
      return channels === 1 ? 'pcma' : undefined;
    default:
      return undefined;
  }
}

/** undefined: no audio is sent (none in the file, off, or it can neither pass nor be decoded). */
export function audioOf(audio: AudioInfo | undefined, enabled: boolean): AudioPlan | undefined {
  if (audio === undefined || !enabled) return undefined;
  const passes = passesAs(audio);
  if (passes !== undefined) return { codec: passes, passthrough: true, source: sourceName(audio) };
  if (!audio.decodable) return undefined;
  return { codec: 'aac', passthrough: false, source: sourceName(audio) };
}

/** A live source's audio is always AAC, encoded from whatever it sends; silence while it sends
 *  none (native/source/live-audio.c). Its codec is not known before it connects. */
export function liveAudioOf(enabled: boolean): AudioPlan | undefined {
  return enabled ? { codec: 'aac', passthrough: false, source: "the source's" } : undefined;
}

export function liveAudioText(enabled: boolean): string {
  return enabled ? "AAC audio (the source's, else silence)" : 'audio off (--no-audio)';
}

/** What the start table says of a mount's audio: `AAC audio (the file's)`, `AAC audio (from MP3)`. */
export function audioText(plan: AudioPlan | undefined, audio: AudioInfo | undefined, enabled: boolean): string {
  if (plan !== undefined) {
    return `${CODEC_NAMES[plan.codec]} audio (${plan.passthrough ? "the file's" : `from ${plan.source}`})`;
  }
  if (audio === undefined) return 'no audio';
  if (!enabled) return 'audio off (--no-audio)';
  return `no audio (${sourceName(audio)}: no decoder)`;
}
