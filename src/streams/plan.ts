// Which mounts a run serves: every video twice, video(2i-1) static and video(2i) dynamic.
export type StreamMode = 'static' | 'dynamic';

export interface StreamSpec {
  /** 1-based mount number: `video${number}`. */
  number: number;
  name: string;
  mount: string;
  mode: StreamMode;
  file: string;
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
        helperPort: options.firstHelperPort + number - 1,
        startBitrateKbps: mode === 'static' ? options.staticBitrateKbps : options.startBitrateKbps,
      };
    });
  });
}

