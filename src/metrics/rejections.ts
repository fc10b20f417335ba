// What a helper refused or closed (`rejected` records), as counted metrics records (counted-log.ts).
import type { HelperEvent } from '../helper/events.ts';
import { CountedLog } from './counted-log.ts';

type Rejected = Extract<HelperEvent, { type: 'rejected' }>;

/** Fields of a `rejected` metrics record; `count` is how many rejections it stands for. */
export interface RejectionFields {
  reason: string;
  status?: number;
  method?: string;
  client_id?: number;
  address?: string;
}

export function rejectionFields(event: Rejected): RejectionFields {
  return {
    reason: event.reason,
    status: event.status,
    method: event.method,
    client_id: event.clientId,
    address: event.address,
  };
}

export function rejectionLog(
  append: (fields: RejectionFields & { count: number }, tMs: number) => void,
): CountedLog<RejectionFields> {
  return new CountedLog(append, ({ reason, status }) => ({ reason, status }));
}
