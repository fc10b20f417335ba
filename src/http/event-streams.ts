// GET /api/v1/events: Server-Sent Events, one `streams` event a second with the JSON of
// /api/v1/streams. Bounded: past `max` open streams a new one gets 503; one timer serves all.
import type { ServerResponse } from 'node:http';

export const EVENT_INTERVAL_MS = 1_000;
/** A reader this far behind (a paused tab holds a socket open) is dropped, not buffered for. */
const MAX_BUFFERED_BYTES = 1 << 20;

export class EventStreams {
  readonly #open = new Set<ServerResponse>();
  readonly #max: number;
  readonly #payload: () => unknown;
  #timer: NodeJS.Timeout | undefined;

  constructor(max: number, payload: () => unknown) {
    this.#max = max;
    this.#payload = payload;
  }

  get size(): number {
    return this.#open.size;
  }

  /** False when full: the caller answers 503. */
  add(response: ServerResponse): boolean {
    if (this.#open.size >= this.#max) return false;
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    // The first event at once: a dashboard shows the figures without waiting a second.
    response.write(`retry: 2000\n${this.#event()}`);
    this.#open.add(response);
    response.on('close', () => this.#open.delete(response));
    this.#timer ??= setInterval(() => this.#broadcast(), EVENT_INTERVAL_MS);
    return true;
  }

  close(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    for (const response of this.#open) response.end();
    this.#open.clear();
  }

  #event(): string {
    return `event: streams\ndata: ${JSON.stringify(this.#payload())}\n\n`;
  }

  #broadcast(): void {
    if (this.#open.size === 0) {
      clearInterval(this.#timer);
      this.#timer = undefined;
      return;
    }
    const event = this.#event();
    for (const response of this.#open) {
      if (response.writableLength > MAX_BUFFERED_BYTES) response.destroy();
      else response.write(event);
    }
  }
}
