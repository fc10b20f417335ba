// Which mounts a run serves: every video twice, video(2i-1) static and video(2i) dynamic (a named
// video: NAME and NAME/adaptive), both from one helper process (one decode of the file), on one
// port per video.
import type { VideoInput } from '../config/video-inputs.ts';
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
  file: string;
  /** The port of the video's helper, which serves both of its mounts. */
  helperPort: number;
  /** The bitrate the encoder starts at, kbit/s. */
  startBitrateKbps: number;
  /** What it sends: its video's size and frame rate, or as --width/--height/--max-size/--fps say. */
  picture: Picture;
}

export interface PlanOptions {
  firstHelperPort: number;
  staticBitrateKbps: number;
  startBitrateKbps: number;
  picture: PictureRule;
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
  sources: readonly (Picture | undefined)[],
  options: PlanOptions,
): StreamSpec[] {
  return inputs.flatMap((input, position) => {
    const source = sources[position];
    if (source === undefined) return [];
    const picture = pictureOf(source, options.picture);
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
        helperPort: options.firstHelperPort + position,
        startBitrateKbps: mode === 'static' ? options.staticBitrateKbps : options.startBitrateKbps,
        picture,
      };
    });
  });
}

/** One helper process: a video's file, served at its mounts on one port. */
export interface HelperSpec {
  /** As logs and warnings call it: its video's name, else its mounts' names (`video1+video2`). */
  name: string;
  file: string;
  port: number;
  /** What both of its mounts send. */
  picture: Picture;
  /** Its mounts, the static one first. */
  streams: StreamSpec[];
}

export function helpersOf(streams: readonly StreamSpec[]): HelperSpec[] {
  const byPort = new Map<number, StreamSpec[]>();
  for (const stream of streams) byPort.set(stream.helperPort, [...(byPort.get(stream.helperPort) ?? []), stream]);
  return [...byPort].map(([port, mounts]) => ({
    name: mounts[0]!.source ?? mounts.map((stream) => stream.name).join('+'),
    file: mounts[0]!.file,
    port,
    picture: mounts[0]!.picture,
    streams: mounts,
  }));
}
