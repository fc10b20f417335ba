// GET /api/v1/events: Server-Sent Events. On connecting, a `history` event (the dashboard's chart
// rows of the last five minutes) and the current `streams`; then every second `streams` (the JSON
// of /api/v1/streams) and `points` (that second's chart rows). The server samples every second
// from its start, watched or not, so the history is there for a page opened late. Bounded: past
// `max` open streams a new one gets 503; one timer serves all.
import type { ServerResponse } from 'node:http';
import type { StreamsJson } from './api-json.ts';
import { DashboardHistory } from './dashboard-history.ts';
import { dashboardPoints } from './dashboard-points.ts';

export const EVENT_INTERVAL_MS = 1_000;
/** A reader this far behind (a paused tab holds a socket open) is dropped, not buffered for. */
const MAX_BUFFERED_BYTES = 1 << 20;

const event = (name: string, data: unknown): string => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;

export class EventStreams {
  /** Each open stream and the bytes of history it may still have queued beyond MAX_BUFFERED_BYTES. */
  readonly #open = new Map<ServerResponse, number>();
  readonly #max: number;
  readonly #snapshot: () => StreamsJson;
  readonly #history = new DashboardHistory();
  readonly #timer: NodeJS.Timeout;

  constructor(max: number, snapshot: () => StreamsJson) {
    this.#max = max;
    this.#snapshot = snapshot;
    // The HTTP server keeps the process alive; this timer alone must not.
    this.#timer = setInterval(() => this.#tick(), EVENT_INTERVAL_MS).unref();
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
    // The history and the figures at once: a dashboard draws them without waiting a second.
    const history = event('history', this.#history.rows());
    response.write(`retry: 2000\n${history}${event('streams', this.#snapshot())}`);
    this.#open.set(response, Buffer.byteLength(history));
    response.on('close', () => this.#open.delete(response));
    return true;
  }

  close(): void {
    clearInterval(this.#timer);
    for (const response of this.#open.keys()) response.end();
    this.#open.clear();
  }

  #tick(): void {
    const snapshot = this.#snapshot();
    const points = dashboardPoints(snapshot);
    this.#history.add(points, snapshot.t_s);
    if (this.#open.size === 0) return;
    const events = event('streams', snapshot) + event('points', points);
    for (const [response, historyBytes] of this.#open) {
      if (response.writableLength > MAX_BUFFERED_BYTES + historyBytes) {
        response.destroy();
        continue;
      }
      if (response.writableLength <= MAX_BUFFERED_BYTES) this.#open.set(response, 0);
      response.write(events);
    }
  }
}
