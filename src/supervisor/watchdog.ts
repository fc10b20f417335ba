// Liveness of a running helper, judged from its records alone. The helper's main loop writes a
// `heartbeat` every second, so 5 s without one is a hang, idle or not (frames come from streaming
// threads and may go on while the main loop, which accepts viewers, is stuck); while a viewer
// plays, frames must keep coming too (a streaming thread can hang while the main loop runs),
// unless a viewer is slow: gst-rtsp-server stops pulling a media's packets while every viewer of
// it is backed up over TCP, so its frames stop with a viewer's connection full, its encoder's
// input frames dropped (the leaky appsrc) until the viewer catches up. A viewer whose connection
// held unsent bytes in its last `queue` sample (every 250 ms) is slow, not hung.
import { viewerLeft, type HelperEvent } from '../helper/events.ts';

export const DEFAULT_WATCHDOG_SILENCE_MS = 5_000;
/** A `queue` sample older than this says nothing of a viewer now (they come every 250 ms). */
const QUEUE_SAMPLE_MAX_AGE_MS = 1_000;

export class HelperWatchdog {
  readonly #silenceMs: number;
  readonly #playing = new Set<number>();
  /** When each TCP viewer's connection last held unsent bytes. */
  readonly #backedUpAtMs = new Map<number, number>();
  #lastFrameMs: number;
  #lastHeartbeatMs: number;

  constructor(nowMs: number, silenceMs = DEFAULT_WATCHDOG_SILENCE_MS) {
    this.#silenceMs = silenceMs;
    this.#lastFrameMs = nowMs;
    this.#lastHeartbeatMs = nowMs;
  }

  onEvent(event: HelperEvent, nowMs: number): void {
    switch (event.type) {
      case 'heartbeat':
        this.#lastHeartbeatMs = nowMs;
        return;
      case 'frame':
        this.#lastFrameMs = nowMs;
        return;
      case 'media':
        if (event.event === 'prepared') this.#lastFrameMs = nowMs;
        return;
      case 'client':
        if (event.event === 'playing') {
          // The first viewer's clock starts at its PLAY, not at the last frame of an idle media.
          if (this.#playing.size === 0) this.#lastFrameMs = nowMs;
          this.#playing.add(event.clientId);
        } else if (viewerLeft(event.event)) {
          this.#playing.delete(event.clientId);
          this.#backedUpAtMs.delete(event.clientId);
        }
        return;
      case 'queue':
        if (event.unsentBytes > 0) this.#backedUpAtMs.set(event.clientId, nowMs);
        else this.#backedUpAtMs.delete(event.clientId);
        return;
      default:
        return;
    }
  }

  /** Why the helper counts as hung at `nowMs`, or undefined while it looks alive. */
  check(nowMs: number): string | undefined {
    const seconds = this.#silenceMs / 1000;
    if (this.#playing.size > 0 && nowMs - this.#lastFrameMs >= this.#silenceMs && !this.#slowViewer(nowMs))
      return `watchdog: no frames for ${seconds} s`;
    if (nowMs - this.#lastHeartbeatMs >= this.#silenceMs) return `watchdog: no heartbeat for ${seconds} s`;
    return undefined;
  }

  /** A playing viewer's connection is backed up now: the frames wait for it. */
  #slowViewer(nowMs: number): boolean {
    return [...this.#backedUpAtMs].some(
      ([clientId, atMs]) => this.#playing.has(clientId) && nowMs - atMs <= QUEUE_SAMPLE_MAX_AGE_MS,
    );
  }
}
