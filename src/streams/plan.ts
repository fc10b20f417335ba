// Which mounts a run serves: every video twice, video(2i-1) static and video(2i) dynamic (a named
// video: NAME and NAME/adaptive), both from one helper process (one decode of the file), on one
// port per video.
import type { VideoInput } from '../config/video-inputs.ts';
import type { AudioInfo } from '../inputs/probe-result.ts';
import { audioOf, audioText, liveAudioOf, liveAudioText, type AudioPlan } from './audio.ts';
import { pictureOf, type Picture, type PictureRule } from './picture.ts';

export type StreamMode = 'static' | 'dynamic';

export interface StreamSpec {
  /** 1-based position among all mounts, named or not: `video${number}` when its video has no name. */
  number: number;
  /** `video3`, or `forest` and `forest/adaptive`: the mount without its leading `/`. */
  name: string;
  mount: string;
  /** The user's name of its video; undefined for a positional one. */
  source?: string | undefined;
  mode: StreamMode;
  /** The file; a live source's URI with its secrets masked. */
  file: string;
  /** A live source's URI, secrets and all (for its helper only); undefined for a file. */
  uri: string | undefined;
  /** The port of the video's helper, which serves both of its mounts. */
  helperPort: number;
  /** The bitrate the encoder starts at, kbit/s. */
  startBitrateKbps: number;
  /** What it sends: its video's size and frame rate, or as --width/--height/--max-size/--fps say. */
  picture: Picture;
  /** Its audio stream; undefined: it sends none. */
  audio: AudioPlan | undefined;
  /** What the start table says of its audio, e.g. `AAC audio (from MP3)`, `no audio`. */
  audioText: string;
}

/** What a probe found in a served file. */
export interface SourceMedia {
  picture: Picture;
  /** Its first audio stream; undefined when it has none. */
  audio: AudioInfo | undefined;
}

export interface PlanOptions {
  firstHelperPort: number;
  staticBitrateKbps: number;
  startBitrateKbps: number;
  picture: PictureRule;
  /** false: --no-audio. */
  audio: boolean;
}

function mountName(input: VideoInput, mode: StreamMode, number: number): string {
  if (input.name === undefined) return `video${number}`;
  return mode === 'static' ? input.name : `${input.name}/adaptive`;
}

/**
 * Mount numbers follow the position of each file on the command line, so `video3` is always the
 * second file even when the first one was refused or named; `sources` has each served file's own
 * picture (undefined: refused, not served).
 */
export function planStreams(
  inputs: readonly VideoInput[],
  sources: readonly (SourceMedia | undefined)[],
  options: PlanOptions,
): StreamSpec[] {
  return inputs.flatMap((input, position) => {
    const source = sources[position];
    if (source === undefined) return [];
    const picture = pictureOf(source.picture, options.picture);
    const live = input.uri !== undefined;
    const audio = live ? liveAudioOf(options.audio) : audioOf(source.audio, options.audio);
    const audioNote = live ? liveAudioText(options.audio) : audioText(audio, source.audio, options.audio);
    return (['static', 'dynamic'] as const).map((mode, offset): StreamSpec => {
      const number = position * 2 + offset + 1;
      const name = mountName(input, mode, number);
      return {
        number,
        name,
        mount: `/${name}`,
        source: input.name,
        mode,
        file: input.file,
        uri: input.uri,
        helperPort: options.firstHelperPort + position,
        startBitrateKbps: mode === 'static' ? options.staticBitrateKbps : options.startBitrateKbps,
        picture,
        audio,
        audioText: audioNote,
      };
    });
  });
}

/** One helper process: a video's file, served at its mounts on one port. */
export interface HelperSpec {
  /** As logs and warnings call it: its video's name, else its mounts' names (`video1+video2`). */
  name: string;
  file: string;
  /** A live source's URI (secrets and all); undefined for a file. */
  uri: string | undefined;
  port: number;
  /** What both of its mounts send. */
  picture: Picture;
  audio: AudioPlan | undefined;
  /** Its mounts, the static one first. */
  streams: StreamSpec[];
}

export function helpersOf(streams: readonly StreamSpec[]): HelperSpec[] {
  const byPort = new Map<number, StreamSpec[]>();
  for (const stream of streams) byPort.set(stream.helperPort, [...(byPort.get(stream.helperPort) ?? []), stream]);
  return [...byPort].map(([port, mounts]) => ({
    name: mounts[0]!.source ?? mounts.map((stream) => stream.name).join('+'),
    file: mounts[0]!.file,
    uri: mounts[0]!.uri,
    port,
    picture: mounts[0]!.picture,
    audio: mounts[0]!.audio,
    streams: mounts,
  }));
}
