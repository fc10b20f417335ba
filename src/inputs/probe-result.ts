// What a probe says about a file: a video the server can stream, or why not.

export interface VideoInfo {
  ok: true;
  path: string;
  width: number;
  height: number;
  /** frames per second; undefined when the file declares none (variable rate) */
  fps: number | undefined;
  /** undefined when GStreamer cannot tell the length */
  durationS: number | undefined;
  /** media type of the video stream, e.g. `video/x-h264` */
  codec: string;
}

export type ProbeFailureCode =
  | 'not-found'
  | 'directory'
  | 'not-regular-file'
  | 'not-readable'
  | 'no-video-stream'
  | 'still-image'
  | 'missing-plugin'
  | 'not-decodable'
  | 'timeout';

export interface ProbeFailure {
  ok: false;
  path: string;
  code: ProbeFailureCode;
  /** one line for people, without the path: `${path}: ${reason}` reads well */
  reason: string;
  exitCode?: number;
  signal?: string;
}

export type ProbeResult = VideoInfo | ProbeFailure;
