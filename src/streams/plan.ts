// Which mounts a run serves: every video twice, video(2i-1) static and video(2i) dynamic, both
// from one helper process (one decode of the file), on one port per video.
export type StreamMode = 'static' | 'dynamic';

export interface StreamSpec {
  /** 1-based mount number: `video${number}`. */
  number: number;
  name: string;
  mount: string;
  mode: StreamMode;
  file: string;
  /** The port of the video's helper, which serves both of its mounts. */
  helperPort: number;
  /** The bitrate the encoder starts at, kbit/s. */
  startBitrateKbps: number;
}

export interface PlanOptions {
  firstHelperPort: number;
  staticBitrateKbps: number;
  startBitrateKbps: number;
}

/**
 * Mount numbers follow the position of each file on the command line, so `video3` is always the
 * second file even when the first one was refused; `usable` says which positions are served.
 */
export function planStreams(files: readonly string[], usable: readonly boolean[], options: PlanOptions): StreamSpec[] {
  return files.flatMap((file, position) => {
    if (!usable[position]) return [];
    return (['static', 'dynamic'] as const).map((mode, offset): StreamSpec => {
      const number = position * 2 + offset + 1;
      return {
        number,
        name: `video${number}`,
        mount: `/video${number}`,
        mode,
        file,
        helperPort: options.firstHelperPort + position,
        startBitrateKbps: mode === 'static' ? options.staticBitrateKbps : options.startBitrateKbps,
      };
    });
  });
}

/** One helper process: a video's file, served at its mounts on one port. */
export interface HelperSpec {
  /** Its mounts' names, as logs and warnings call it: `video1+video2`. */
  name: string;
  file: string;
  port: number;
  /** Its mounts, the static one first. */
  streams: StreamSpec[];
}

export function helpersOf(streams: readonly StreamSpec[]): HelperSpec[] {
  const byPort = new Map<number, StreamSpec[]>();
  for (const stream of streams) byPort.set(stream.helperPort, [...(byPort.get(stream.helperPort) ?? []), stream]);
  return [...byPort].map(([port, mounts]) => ({
    name: mounts.map((stream) => stream.name).join('+'),
    file: mounts[0]!.file,
    port,
    streams: mounts,
  }));
}
