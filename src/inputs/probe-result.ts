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
  /** its first audio stream; undefined when it has none */
  audio?: AudioInfo;
}

export interface AudioInfo {
  /** media type, e.g. `audio/mpeg` */
  codec: string;
  /** of `audio/mpeg`: 1 (MP1, MP2, MP3), 2 or 4 (AAC) */
  mpegVersion?: number;
  channels?: number;
  rate?: number;
  /** GStreamer has its decoder (else it can only pass as it is) */
  decodable: boolean;
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
