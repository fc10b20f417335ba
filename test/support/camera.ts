// The RTSP camera of the live-source tests and benches (camera.py: GStreamer's RTSP server in
// Debian's Python), started and stopped by them, with the count of its connected clients and, when
// it serves a clip, its record of when it sent each frame.
import { existsSync, renameSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { basename, dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';

const CAMERA_SCRIPT = fileURLToPath(new URL('./camera.py', import.meta.url));
/** Debian's own Python: python3-gi and the RTSP server's introspection data are installed for it. */
const PYTHON = '/usr/bin/python3';

export interface CameraOptions {
  port: number;
  user?: string;
  password?: string;
  /** `WIDTHxHEIGHT`, 640x480 unless given. */
  size?: string;
  /** A 440-Hz tone as mono 16-kHz AAC beside the ball. */
  audio?: boolean;
  /** Serve this H.264 clip (no B-frames), looped, instead of the moving ball. */
  file?: string;
  /** Run it in this network namespace. */
  netns?: string;
}

/** A frame the camera sent: when (Unix ms), and where in its clip (ms): the shape of a server's
 *  record of a sent frame (scripts/bench/server-metrics.ts), so that delays are timed the same way. */
export interface CameraSend {
  atMs: number;
  fileMs: number;
}

export class Camera {
  readonly #options: CameraOptions;
  #process: ResultPromise<{ reject: false; buffer: false }> | undefined;
  /** Its connected clients, as it last said. */
  clients = 0;
  /** The most clients it had at once since it started. */
  peakClients = 0;
  /** Each frame it sent while someone watched, in order (with `file` only). */
  readonly sent: CameraSend[] = [];

  constructor(options: CameraOptions) {
    this.#options = options;
  }

  get url(): string {
    const { user, password, port } = this.#options;
    const credentials = user === undefined ? '' : `${user}:${encodeURIComponent(password ?? '')}@`;
    return `rtsp://${credentials}127.0.0.1:${port}/cam`;
  }

  /** Starts it and resolves once it listens. */
  async start(): Promise<void> {
    const { port, user, password, size, audio, file, netns } = this.#options;
    const args = [
      ...[CAMERA_SCRIPT, String(port), ...(size === undefined ? [] : ['--size', size])],
      ...(user === undefined ? [] : ['--user', user, '--password', password!]),
      ...(audio ? ['--audio'] : []),
      ...(file === undefined ? [] : ['--file', file]),
    ];
    const command = netns === undefined ? [PYTHON, ...args] : ['ip', 'netns', 'exec', netns, PYTHON, ...args];
    const child = execa(command[0]!, command.slice(1), { reject: false, buffer: false });
    this.#process = child;
    this.clients = 0;
    this.peakClients = 0;
    await new Promise<void>((resolve, reject) => {
      let ready = false;
      createInterface({ input: child.stdout }).on('line', (line) => {
        const sent = /^sent ([\d.]+) ([\d.]+)$/.exec(line);
        if (sent) {
          this.sent.push({ atMs: Number(sent[1]), fileMs: Number(sent[2]) });
          return;
        }
        if (line === 'ready' && !ready) {
          ready = true;
          resolve();
        }
        const count = /^clients (\d+)$/.exec(line);
        if (count) {
          this.clients = Number(count[1]);
          this.peakClients = Math.max(this.peakClients, this.clients);
        }
      });
      void child.then((result) => {
        if (!ready)
          reject(new Error(`camera.py (port ${port}) exited before it was ready: exit code ${result.exitCode}`));
      });
    });
  }

  /** Kills it, as a camera that loses power. */
  async stop(): Promise<void> {
    const child = this.#process;
    this.#process = undefined;
    if (child === undefined) return;
    child.kill('SIGKILL');
    await child;
  }
}

/** A clip as a camera sends it: no B-frames, a key frame each second, 6 Mbit/s (more than any
 *  bench link carries, so the camera is not what limits a viewer's picture). Made once beside it,
 *  as NAME-camera.mp4 (written aside, then renamed: never half a file). */
export async function ensureCameraClip(clip: string): Promise<string> {
  const dir = dirname(clip);
  const name = `${basename(clip, extname(clip))}-camera.mp4`;
  const path = join(dir, name);
  if (existsSync(path)) return path;
  const partial = join(dir, `.${name}.partial.mp4`);
  await execa('ffmpeg', [
    ...['-nostdin', '-v', 'error', '-y', '-i', clip, '-an', '-c:v', 'libx264', '-preset', 'veryfast'],
    ...['-tune', 'zerolatency', '-bf', '0', '-g', '30', '-b:v', '6M', '-maxrate', '6M', '-bufsize', '3M'],
    ...['-f', 'mp4', partial],
  ]);
  renameSync(partial, path);
  return path;
}
