import type { AuthRefusal } from './auth.ts';
import type { ResponseStatus } from './responses.ts';

/** `remote` is "address:port" of the client. */
export type FrontDoorLogEntry =
  | {
      readonly kind: 'answered';
      readonly remote: string;
      readonly method: string;
      readonly url: string;
      readonly status: ResponseStatus;
      readonly location: string | undefined;
      /** Why a 401 was given. */
      readonly refusal: AuthRefusal | undefined;
    }
  | { readonly kind: 'rejected'; readonly remote: string; readonly status: ResponseStatus; readonly reason: string }
  | {
      readonly kind: 'closed';
      readonly remote: string;
      readonly cause: 'interleaved' | 'idle-timeout' | 'header-timeout' | 'evicted';
    }
  | { readonly kind: 'refused'; readonly remote: string; readonly openConnections: number }
  | {
      readonly kind: 'socket-error';
      readonly remote: string;
      readonly code: string | undefined;
      readonly message: string;
    }
  | { readonly kind: 'server-error'; readonly code: string | undefined; readonly message: string };

export type FrontDoorLog = (entry: FrontDoorLogEntry) => void;
