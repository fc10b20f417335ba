// What a helper refused or closed (`rejected` records), as metrics records: each one in detail,
// up to DETAIL_PER_S in a second; beyond that, one record per reason for the rest of that second,
// with its count. A flood then costs a few lines a second in metrics.ndjson, not one per
// connection, and every rejection is still counted.
import type { HelperEvent } from '../helper/protocol.ts';

export const DETAIL_PER_S = 20;
const WINDOW_MS = 1_000;

type Rejected = Extract<HelperEvent, { type: 'rejected' }>;

/** Fields of a `rejected` metrics record; `count` is how many rejections it stands for. */
export interface RejectionFields {
  reason: string;
  count: number;
  status?: number;
  method?: string;
  client_id?: number;
  address?: string;
}

export class RejectionLog {
  readonly #append: (fields: RejectionFields, tMs: number) => void;
  readonly #totals = new Map<string, number>();
  readonly #overflow = new Map<string, { count: number; status?: number }>();
  #windowStartMs = Number.NEGATIVE_INFINITY;
  #inWindow = 0;

  constructor(append: (fields: RejectionFields, tMs: number) => void) {
    this.#append = append;
  }

  add(event: Rejected, nowMs: number): void {
    this.#totals.set(event.reason, (this.#totals.get(event.reason) ?? 0) + 1);
    this.tick(nowMs);
    this.#inWindow += 1;
    if (this.#inWindow <= DETAIL_PER_S) {
      this.#append({ reason: event.reason, count: 1, status: event.status, method: event.method, client_id: event.clientId, address: event.address }, nowMs);
      return;
    }
    const overflow = this.#overflow.get(event.reason) ?? { count: 0, status: event.status };
    overflow.count += 1;
    this.#overflow.set(event.reason, overflow);
  }

  /** Closes the current second once it is over (call it often: each heartbeat). */
  tick(nowMs: number): void {
    if (nowMs - this.#windowStartMs < WINDOW_MS) return;
    this.flush(nowMs);
    this.#windowStartMs = nowMs;
    this.#inWindow = 0;
  }

  /** Writes the counted rejections not yet written. */
  flush(nowMs: number): void {
    for (const [reason, { count, status }] of this.#overflow) this.#append({ reason, count, status }, nowMs);
    this.#overflow.clear();
  }

  /** Rejections by reason since the start. */
  totals(): Record<string, number> {
    return Object.fromEntries(this.#totals);
  }
}
