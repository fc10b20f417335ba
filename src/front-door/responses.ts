import type { AuthRefusal } from './auth.ts';
import type { RequestError } from './request-head.ts';

// Reason phrases as RFC 2326 section 7.1.1 spells them.
const REASON = {
  200: 'OK',
  302: 'Moved Temporarily',
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  413: 'Request Entity Too Large',
  414: 'Request-URI Too Large',
  503: 'Service Unavailable',
  505: 'RTSP Version not supported',
} as const;

export type ResponseStatus = keyof typeof REASON;

export interface RtspResponse {
  readonly status: ResponseStatus;
  /** Echoed when the request carried a valid one. */
  readonly cseq: number | undefined;
  /** Besides CSeq, Server, Date and Content-Length, which every response gets. */
  readonly headers: readonly (readonly [name: string, value: string])[];
  /** The connection cannot be trusted to stay in step after this response. */
  readonly close: boolean;
  /** Why a 401 was given, for the counters and the log (not sent). */
  readonly refusal?: AuthRefusal;
}

export const SERVER_NAME = 'abr-rtsp-server (front door)';

export function errorResponse(error: RequestError): RtspResponse {
  return { status: error.status, cseq: error.cseq, headers: [], close: true };
}

export function serializeResponse(response: RtspResponse, now: Date): Buffer {
  const lines = [`RTSP/1.0 ${response.status} ${REASON[response.status]}`];
  if (response.cseq !== undefined) lines.push(`CSeq: ${response.cseq}`);
  lines.push(`Server: ${SERVER_NAME}`, `Date: ${now.toUTCString()}`);
  for (const [name, value] of response.headers) lines.push(`${name}: ${value}`);
  lines.push('Content-Length: 0', '', '');
  return Buffer.from(lines.join('\r\n'), 'latin1');
}
