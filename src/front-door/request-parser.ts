import {
  finishHead,
  foldHeaderLine,
  parseHeaderLine,
  parseRequestLine,
  requestError,
  validCseq,
  type HeaderField,
  type RequestError,
  type RequestLine,
  type RtspHead,
  type RtspRequest,
} from './request-head.ts';

export interface ParserLimits {
  /** Request line, without its line ending. */
  readonly maxRequestLineBytes: number;
  readonly maxHeaders: number;
  /** One header line, without its line ending. */
  readonly maxHeaderLineBytes: number;
  /** The whole head: request line, header lines and the empty line, with line endings. */
  readonly maxHeaderBlockBytes: number;
  readonly maxBodyBytes: number;
}

export const DEFAULT_PARSER_LIMITS: ParserLimits = {
  maxRequestLineBytes: 2048,
  maxHeaders: 64,
  maxHeaderLineBytes: 4096,
  maxHeaderBlockBytes: 16 * 1024,
  maxBodyBytes: 4096,
};

export interface Interleaved {
  readonly kind: 'interleaved';
}

export type ParseResult = RtspRequest | RequestError | Interleaved | { readonly kind: 'need-more' };

const LF = 0x0a;
const CR = 0x0d;
const NUL = 0x00;
const DOLLAR = 0x24;
const EMPTY = Buffer.alloc(0);
const NEED_MORE = { kind: 'need-more' } as const;

/**
 * Incremental RTSP/1.0 request parser. feed() bytes split anywhere, then call next() until it
 * answers need-more. Holds at most one incomplete line or body within the limits, besides the
 * chunk being parsed. After an error or interleaved data it is finished: next() repeats that result.
 */
export class RequestParser {
  private buffer: Buffer = EMPTY;
  private scanned = 0; // leading bytes of `buffer` already searched for LF
  private line: RequestLine | undefined;
  private fields: HeaderField[] = [];
  private headBytes = 0;
  private pendingBody: { head: RtspHead; length: number } | undefined;
  private finished: RequestError | Interleaved | undefined;
  private readonly limits: ParserLimits;

  constructor(limits: ParserLimits = DEFAULT_PARSER_LIMITS) {
    this.limits = limits;
  }

  /** True while part of a request has arrived but not all of it. */
  get inRequest(): boolean {
    return this.line !== undefined || this.pendingBody !== undefined || this.buffer.length > 0;
  }

  /** Bytes held between calls: at most one incomplete line, head or body within the limits. */
  get bufferedBytes(): number {
    return this.buffer.length;
  }

  feed(chunk: Buffer): void {
    if (this.finished || chunk.length === 0) return;
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
  }

  next(): ParseResult {
    if (this.finished) return this.finished;
    const result = this.step();
    if (result.kind === 'error' || result.kind === 'interleaved') {
      this.finished = result;
      this.buffer = EMPTY; // nothing more will be parsed: hold none of it
    }
    return result;
  }

  private step(): ParseResult {
    for (;;) {
      if (this.pendingBody) return this.takeBody(this.pendingBody);
      if (!this.line && this.buffer[0] === DOLLAR) return { kind: 'interleaved' };
      const lf = this.buffer.indexOf(LF, this.scanned);
      if (lf === -1) return this.partialLine();
      const end = lf > 0 && this.buffer[lf - 1] === CR ? lf - 1 : lf;
      const text = this.buffer.toString('latin1', 0, end);
      this.consume(lf + 1);
      const result = this.line ? this.onHeaderLine(this.line, text, lf + 1) : this.onRequestLine(text, lf + 1);
      if (result) return result;
    }
  }

  private partialLine(): ParseResult {
    const { buffer } = this;
    // A NUL can never become valid: answer now rather than wait for the rest of the line.
    const nulAt = buffer.indexOf(NUL, this.scanned);
    this.scanned = buffer.length;
    const cseq = validCseq(this.fields);
    if (!this.line && this.nulBeforeTooLong(nulAt)) return requestError(400, 'request line contains byte 0x00');
    if (this.line && nulAt !== -1) return requestError(400, 'header line contains byte 0x00', cseq);
    const length = buffer.length - (buffer[buffer.length - 1] === CR ? 1 : 0);
    const tooBig = this.line ? this.checkHeaderSize(length, buffer.length, cseq) : this.checkRequestLine(length);
    return tooBig ?? NEED_MORE;
  }

  private onRequestLine(text: string, bytes: number): RequestError | undefined {
    if (text === '') return undefined; // CRLF keep-alive before a request
    const nulFirst = this.nulBeforeTooLong(text.indexOf('\0'))
      ? requestError(400, 'request line contains byte 0x00')
      : undefined;
    const line = nulFirst ?? this.checkRequestLine(text.length) ?? parseRequestLine(text);
    if ('kind' in line) return line;
    this.line = line;
    this.headBytes = bytes;
    return undefined;
  }

  private onHeaderLine(line: RequestLine, text: string, bytes: number): ParseResult | undefined {
    this.headBytes += bytes;
    const cseq = validCseq(this.fields);
    const tooBig = this.checkHeaderSize(text.length, 0, cseq);
    if (tooBig) return tooBig;
    if (text === '') return this.endHead(line);
    const previous = this.fields[this.fields.length - 1];
    const folded = text[0] === ' ' || text[0] === '\t';
    if (folded && !previous) return requestError(400, 'continuation line before any header', cseq);
    if (!folded && this.fields.length >= this.limits.maxHeaders) {
      return requestError(400, `more than ${this.limits.maxHeaders} header fields`, cseq);
    }
    const field = folded && previous ? foldHeaderLine(previous, text, cseq) : parseHeaderLine(text, cseq);
    if ('kind' in field) return field;
    if (folded) this.fields.pop();
    this.fields.push(field);
    return undefined;
  }

  private endHead(line: RequestLine): ParseResult {
    const done = finishHead(line, this.fields, this.limits.maxBodyBytes);
    if ('kind' in done) return done;
    this.line = undefined;
    this.fields = [];
    this.headBytes = 0;
    this.pendingBody = { head: done.head, length: done.contentLength };
    return this.takeBody(this.pendingBody);
  }

  private takeBody(pending: { head: RtspHead; length: number }): ParseResult {
    if (this.buffer.length < pending.length) return NEED_MORE;
    // Copied so that a request does not pin the whole socket chunk it arrived in.
    const body = pending.length === 0 ? EMPTY : Buffer.from(this.buffer.subarray(0, pending.length));
    this.consume(pending.length);
    this.pendingBody = undefined;
    return { kind: 'request', ...pending.head, body };
  }

  /**
   * Whether a NUL at `nulAt` (-1: none) of a request line shows before the line is too long: the
   * verdict must be the same however the bytes were split (a NUL is caught in a partial line).
   */
  private nulBeforeTooLong(nulAt: number): boolean {
    return nulAt !== -1 && nulAt <= this.limits.maxRequestLineBytes;
  }

  private checkRequestLine(length: number): RequestError | undefined {
    const max = this.limits.maxRequestLineBytes;
    return length > max ? requestError(414, `request line exceeds ${max} bytes`) : undefined;
  }

  private checkHeaderSize(
    lineLength: number,
    unparsedBytes: number,
    cseq: number | undefined,
  ): RequestError | undefined {
    const { maxHeaderLineBytes, maxHeaderBlockBytes } = this.limits;
    if (lineLength > maxHeaderLineBytes)
      return requestError(400, `header line exceeds ${maxHeaderLineBytes} bytes`, cseq);
    if (this.headBytes + unparsedBytes > maxHeaderBlockBytes) {
      return requestError(400, `request head exceeds ${maxHeaderBlockBytes} bytes`, cseq);
    }
    return undefined;
  }

  private consume(bytes: number): void {
    this.buffer = bytes >= this.buffer.length ? EMPTY : this.buffer.subarray(bytes);
    this.scanned = Math.max(0, this.scanned - bytes);
  }
}
