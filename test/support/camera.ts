// The RTSP camera of the live-source tests (camera.py: GStreamer's RTSP server in Debian's
// Python), started and stopped by the tests, with the count of its connected clients.
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
}

export class Camera {
  readonly #options: CameraOptions;
  #process: ResultPromise<{ reject: false; buffer: false }> | undefined;
  /** Its connected clients, as it last said. */
  clients = 0;
  /** The most clients it had at once since it started. */
  peakClients = 0;

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
    const { port, user, password, size } = this.#options;
    const args = [
      ...[CAMERA_SCRIPT, String(port), ...(size === undefined ? [] : ['--size', size])],
      ...(user === undefined ? [] : ['--user', user, '--password', password!]),
    ];
    const child = execa(PYTHON, args, { reject: false, buffer: false });
    this.#process = child;
    this.clients = 0;
    this.peakClients = 0;
    await new Promise<void>((resolve, reject) => {
      let ready = false;
      child.stdout?.setEncoding('utf8');
      child.stdout?.on('data', (chunk: string) => {
        for (const line of chunk.split('\n')) {
          if (line === 'ready' && !ready) {
            ready = true;
            resolve();
          }
          const count = /^clients (\d+)$/.exec(line);
          if (count) {
            this.clients = Number(count[1]);
            this.peakClients = Math.max(this.peakClients, this.clients);
          }
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
