import { parseRequestTarget, type RequestTarget } from './request-target.ts';

// Pure checks of the pieces of a request head; the framing lives in request-parser.ts.

export type RequestErrorStatus = 400 | 413 | 414 | 505;

export interface RequestError {
  readonly kind: 'error';
  readonly status: RequestErrorStatus;
  /** For logs: what was wrong, quoting the offending input. */
  readonly reason: string;
  /** The request's CSeq when it had already been read and was valid. */
  readonly cseq: number | undefined;
}

export interface RequestLine {
  readonly method: string;
  readonly url: string;
  readonly target: RequestTarget;
  readonly version: 'RTSP/1.0';
}

export interface RtspHead extends RequestLine {
  /** Lowercased names; a repeated header keeps every value in order. */
  readonly headers: ReadonlyMap<string, readonly string[]>;
  readonly cseq: number;
}

export interface RtspRequest extends RtspHead {
  readonly kind: 'request';
  readonly body: Buffer;
}

export type HeaderField = readonly [name: string, value: string];

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const RTSP_VERSION = /^RTSP\/\d+\.\d+$/;
// Control characters other than HTAB are not allowed anywhere in a head line.
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;
const DIGITS = /^\d+$/;

export function requestError(status: RequestErrorStatus, reason: string, cseq?: number): RequestError {
  return { kind: 'error', status, reason, cseq };
}

function quote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}...` : text);
}

function controlError(what: string, line: string, cseq: number | undefined): RequestError | undefined {
  const match = CONTROL.exec(line);
  if (!match) return undefined;
  const code = match[0].charCodeAt(0).toString(16).padStart(2, '0');
  return requestError(400, `${what} ${quote(line)} contains byte 0x${code}`, cseq);
}

export function parseRequestLine(line: string): RequestLine | RequestError {
  const bad = controlError('request line', line, undefined);
  if (bad) return bad;
  const parts = line.split(' ');
  const [method, url, version] = parts;
  if (parts.length !== 3 || method === undefined || url === undefined || version === undefined) {
    return requestError(400, `request line ${quote(line)} is not "METHOD URI RTSP/1.0"`);
  }
  if (!TOKEN.test(method)) return requestError(400, `method ${quote(method)} is not a token`);
  if (!RTSP_VERSION.test(version)) return requestError(400, `protocol ${quote(version)} is not RTSP`);
  if (version !== 'RTSP/1.0') return requestError(505, `version ${quote(version)} is not RTSP/1.0`);
  const target = parseRequestTarget(url);
  if (!target) return requestError(400, `request URI ${quote(url)} is not rtsp://..., /path or *`);
  return { method, url, target, version };
}

export function parseHeaderLine(line: string, cseq: number | undefined): HeaderField | RequestError {
  const bad = controlError('header line', line, cseq);
  if (bad) return bad;
  const colon = line.indexOf(':');
  if (colon === -1) return requestError(400, `header line ${quote(line)} has no colon`, cseq);
  const name = line.slice(0, colon);
  if (!TOKEN.test(name)) return requestError(400, `header name ${quote(name)} is not a token`, cseq);
  return [name.toLowerCase(), trimWhitespace(line.slice(colon + 1))];
}

/** An obsolete line folding (a line starting with SP or HTAB) continues the previous field. */
export function foldHeaderLine(
  previous: HeaderField,
  line: string,
  cseq: number | undefined,
): HeaderField | RequestError {
  return controlError('header line', line, cseq) ?? [previous[0], `${previous[1]} ${trimWhitespace(line)}`];
}

function trimWhitespace(text: string): string {
  return text.replace(/^[ \t]+|[ \t]+$/g, '');
}

/** The CSeq of the fields read so far, when there is exactly one and it is valid. */
export function validCseq(fields: readonly HeaderField[]): number | undefined {
  const values = fields.filter(([name]) => name === 'cseq');
  const value = values.length === 1 ? values[0]?.[1] : undefined;
  return value !== undefined && DIGITS.test(value) && Number.isSafeInteger(Number(value)) ? Number(value) : undefined;
}

export function finishHead(
  line: RequestLine,
  fields: readonly HeaderField[],
  maxBodyBytes: number,
): { head: RtspHead; contentLength: number } | RequestError {
  const headers = new Map<string, string[]>();
  for (const [name, value] of fields) {
    const values = headers.get(name);
    if (values) values.push(value);
    else headers.set(name, [value]);
  }
  const cseqValues = headers.get('cseq') ?? [];
  const cseq = validCseq(fields);
  if (cseq === undefined) {
    const what =
      cseqValues.length === 0 ? 'is missing' : `${quote(cseqValues.join(', '))} is not one non-negative integer`;
    return requestError(400, `CSeq ${what}`);
  }
  const lengths = headers.get('content-length') ?? ['0'];
  const [length] = lengths;
  if (lengths.length !== 1 || length === undefined || !DIGITS.test(length)) {
    return requestError(400, `Content-Length ${quote(lengths.join(', '))} is not one non-negative integer`, cseq);
  }
  // A long digit string becomes a large float (or Infinity): compared, never allocated.
  const contentLength = Number(length);
  if (contentLength > maxBodyBytes) {
    return requestError(413, `Content-Length ${length} exceeds the limit of ${maxBodyBytes} bytes`, cseq);
  }
  return { head: { ...line, headers, cseq }, contentLength };
}
