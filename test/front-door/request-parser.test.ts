import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RequestError, RtspRequest } from '../../src/front-door/request-head.ts';
import { DEFAULT_PARSER_LIMITS, RequestParser, type ParseResult } from '../../src/front-door/request-parser.ts';

type Outcome = Exclude<ParseResult, { kind: 'need-more' }>;

function parse(...chunks: (string | Buffer)[]): Outcome[] {
  const parser = new RequestParser();
  const results: Outcome[] = [];
  for (const chunk of chunks) {
    parser.feed(typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk);
    for (let result = parser.next(); result.kind !== 'need-more'; result = parser.next()) {
      results.push(result);
      if (result.kind !== 'request') return results;
    }
  }
  return results;
}

function only(...chunks: string[]): Outcome {
  const results = parse(...chunks);
  assert.equal(results.length, 1, JSON.stringify(results));
  return results[0] as Outcome;
}

function request(text: string): RtspRequest {
  const result = only(text);
  assert.equal(result.kind, 'request', JSON.stringify(result));
  return result;
}

function error(text: string): RequestError {
  const result = parse(text).at(-1);
  assert.equal(result?.kind, 'error', JSON.stringify(result));
  return result;
}

const DESCRIBE = 'DESCRIBE rtsp://127.0.0.1:8554/video1 RTSP/1.0\r\nCSeq: 2\r\nAccept: application/sdp\r\n\r\n';
const ANNOUNCE = 'ANNOUNCE rtsp://h/video2 RTSP/1.0\r\nCSeq: 3\r\nContent-Length: 13\r\n\r\nv=0\r\n\0o=-\r\n\r\n';
const OPTIONS = 'OPTIONS * RTSP/1.0\nCSeq: 4\n\n';
const PIPELINE = `\r\n${DESCRIBE}\r\n\r\n${ANNOUNCE}\n${OPTIONS}`;

describe('request parser', () => {
  test('parses a request into typed values', () => {
    const parsed = request(
      'DESCRIBE rtsp://127.0.0.1:8554/video1?x=1 RTSP/1.0\r\nCSeq: 2\r\nUser-Agent: a\r\nuser-agent: b\r\n\r\n',
    );
    assert.equal(parsed.method, 'DESCRIBE');
    assert.equal(parsed.url, 'rtsp://127.0.0.1:8554/video1?x=1');
    assert.deepEqual(parsed.target, { kind: 'resource', host: '127.0.0.1', path: '/video1', query: '?x=1' });
    assert.equal(parsed.version, 'RTSP/1.0');
    assert.equal(parsed.cseq, 2);
    assert.deepEqual(parsed.headers.get('user-agent'), ['a', 'b']);
    assert.equal(parsed.body.length, 0);
  });

  test('answers the same for a pipeline fed whole, split at every byte, or byte by byte', () => {
    const whole = parse(PIPELINE);
    assert.deepEqual(
      whole.map((r) => r.kind === 'request' && r.cseq),
      [2, 3, 4],
    );
    assert.equal((whole[1] as RtspRequest).body.toString('latin1'), 'v=0\r\n\0o=-\r\n\r\n');
    for (let i = 0; i <= PIPELINE.length; i++) {
      assert.deepEqual(parse(PIPELINE.slice(0, i), PIPELINE.slice(i)), whole, `split at ${i}`);
    }
    assert.deepEqual(parse(...PIPELINE.split('')), whole);
  });

  test('accepts bare LF line endings and CRLF keep-alives before a request', () => {
    const parsed = request('\n\r\n\r\nSETUP /video1/trackID=0 RTSP/1.0\nCSeq: 7\r\nTransport: RTP/AVP/TCP\n\n');
    assert.equal(parsed.cseq, 7);
    assert.deepEqual(parsed.target, { kind: 'resource', host: undefined, path: '/video1/trackID=0', query: '' });
  });

  test('trims spaces around values and joins folded lines', () => {
    const parsed = request(
      'PLAY rtsp://h/video1 RTSP/1.0\r\nCSeq:   9  \r\nX-A:\t1,\r\n  2\r\n\t3\r\nSession:  \r\n\r\n',
    );
    assert.equal(parsed.cseq, 9);
    assert.deepEqual(parsed.headers.get('x-a'), ['1, 2 3']);
    assert.deepEqual(parsed.headers.get('session'), ['']);
  });

  test('reports interleaved binary data, at the start or after a request', () => {
    assert.deepEqual(parse('$\x00\x00\x04abcd'), [{ kind: 'interleaved' }]);
    assert.deepEqual(
      parse(OPTIONS, '\r\n$\x00').map((r) => r.kind),
      ['request', 'interleaved'],
    );
  });

  test('tells whether part of a request is buffered', () => {
    const parser = new RequestParser();
    assert.equal(parser.inRequest, false);
    parser.feed(Buffer.from('OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n'));
    assert.equal(parser.next().kind, 'need-more');
    assert.equal(parser.inRequest, true);
    parser.feed(Buffer.from('\r\n'));
    assert.equal(parser.next().kind, 'request');
    assert.equal(parser.inRequest, false);
  });

  test('stays finished after an error', () => {
    const parser = new RequestParser();
    parser.feed(Buffer.from('nonsense\r\n'));
    const first = parser.next();
    parser.feed(Buffer.from(OPTIONS));
    assert.equal(first.kind, 'error');
    assert.equal(parser.next(), first);
  });
});

describe('request parser rejects', () => {
  const cases: [string, string, number, number | undefined][] = [
    ['a request line of two words', 'DESCRIBE rtsp://h/video1\r\n', 400, undefined],
    ['a request line of four words', 'DESCRIBE  rtsp://h/video1 RTSP/1.0\r\n', 400, undefined],
    ['leading spaces on the request line', ' OPTIONS * RTSP/1.0\r\n', 400, undefined],
    ['a method that is not a token', 'DE(SCRIBE rtsp://h/video1 RTSP/1.0\r\n', 400, undefined],
    ['HTTP', 'GET / HTTP/1.1\r\n', 400, undefined],
    ['RTSP/2.0', 'OPTIONS * RTSP/2.0\r\n', 505, undefined],
    ['RTSP/9.9', 'OPTIONS * RTSP/9.9\r\n', 505, undefined],
    ['an unsupported URI', 'DESCRIBE http://h/video1 RTSP/1.0\r\n', 400, undefined],
    ['a URI with a fragment', 'DESCRIBE rtsp://h/video1#x RTSP/1.0\r\n', 400, undefined],
    ['a bad authority', 'DESCRIBE rtsp://h:x/video1 RTSP/1.0\r\n', 400, undefined],
    ['a header line without colon', 'OPTIONS * RTSP/1.0\r\nCSeq: 1\r\nnocolon\r\n', 400, 1],
    ['a space before the colon', 'OPTIONS * RTSP/1.0\r\nCSeq : 1\r\n', 400, undefined],
    ['a continuation before any header', 'OPTIONS * RTSP/1.0\r\n CSeq: 1\r\n', 400, undefined],
    ['a NUL in a header line', 'OPTIONS * RTSP/1.0\r\nCSeq: 5\r\nX: a\0b\r\n', 400, 5],
    ['a NUL before the line ends', 'OPTIONS * RTSP/1.0\r\nCSeq: 5\r\nX: a\0', 400, 5],
    ['a NUL in the request line', 'OPT\0', 400, undefined],
    ['a bare CR inside a line', 'OPTIONS * RTSP/1.0\r\nCSeq: 5\r\nX: a\rb\r\n', 400, 5],
    ['a missing CSeq', 'OPTIONS * RTSP/1.0\r\nX: 1\r\n\r\n', 400, undefined],
    ['a non-numeric CSeq', 'OPTIONS * RTSP/1.0\r\nCSeq: abc\r\n\r\n', 400, undefined],
    ['a negative CSeq', 'OPTIONS * RTSP/1.0\r\nCSeq: -1\r\n\r\n', 400, undefined],
    ['an empty CSeq', 'OPTIONS * RTSP/1.0\r\nCSeq:\r\n\r\n', 400, undefined],
    ['a repeated CSeq', 'OPTIONS * RTSP/1.0\r\nCSeq: 1\r\nCSeq: 1\r\n\r\n', 400, undefined],
    [
      'a non-numeric Content-Length',
      'ANNOUNCE rtsp://h/video1 RTSP/1.0\r\nContent-Length: 1e3\r\nCSeq: 8\r\n\r\n',
      400,
      8,
    ],
    ['a negative Content-Length', 'ANNOUNCE rtsp://h/video1 RTSP/1.0\r\nCSeq: 8\r\nContent-Length: -1\r\n\r\n', 400, 8],
    [
      'a repeated Content-Length',
      'ANNOUNCE rtsp://h/video1 RTSP/1.0\r\nCSeq: 8\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n',
      400,
      8,
    ],
    ['a body over the limit', 'ANNOUNCE rtsp://h/video1 RTSP/1.0\r\nContent-Length: 4097\r\nCSeq: 8\r\n\r\n', 413, 8],
    [
      'a Content-Length of 2^32',
      'ANNOUNCE rtsp://h/video1 RTSP/1.0\r\nCSeq: 8\r\nContent-Length: 4294967296\r\n\r\n',
      413,
      8,
    ],
    [
      'a Content-Length of 100 digits',
      `ANNOUNCE * RTSP/1.0\r\nCSeq: 8\r\nContent-Length: ${'9'.repeat(100)}\r\n\r\n`,
      413,
      8,
    ],
  ];
  for (const [what, text, status, cseq] of cases) {
    test(what, () => {
      const result = error(text);
      assert.equal(result.status, status, result.reason);
      assert.equal(result.cseq, cseq);
      assert.ok(result.reason.length > 0);
    });
  }

  test('a request line over 2048 bytes with 414, as soon as it is too long', () => {
    const line = (length: number): string => `DESCRIBE /${'a'.repeat(length - 'DESCRIBE / RTSP/1.0'.length)} RTSP/1.0`;
    assert.equal(line(2048).length, 2048);
    assert.equal(request(`${line(2048)}\r\nCSeq: 1\r\n\r\n`).cseq, 1);
    assert.equal(error(`${line(2049)}\r\n`).status, 414);
    assert.equal(error('D'.repeat(2049)).status, 414);
    assert.deepEqual(parse(`${'D'.repeat(2048)}\r`), []);
  });

  test('a header line over 4096 bytes', () => {
    const header = (length: number): string => `X: ${'v'.repeat(length - 3)}`;
    assert.equal(request(`OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n${header(4096)}\r\n\r\n`).cseq, 1);
    assert.equal(error(`OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n${header(4097)}\r\n`).status, 400);
    assert.equal(error(`OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n${header(4097)}`).status, 400);
  });

  test('more than 64 header fields', () => {
    const headers = (count: number): string => Array.from({ length: count - 1 }, (_, i) => `X-${i}: ${i}\r\n`).join('');
    assert.equal(request(`OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n${headers(64)}\r\n`).headers.size, 64);
    const result = error(`OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n${headers(65)}`);
    assert.deepEqual([result.status, result.cseq], [400, 1]);
  });

  test('a head over 16 KiB', () => {
    const big = `X: ${'v'.repeat(4000)}\r\n`;
    const result = error(`OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n${big.repeat(5)}`);
    assert.deepEqual([result.status, result.cseq], [400, 1]);
    assert.match(result.reason, /16384/);
  });

  test('with limits of its own', () => {
    const parser = new RequestParser({ ...DEFAULT_PARSER_LIMITS, maxBodyBytes: 3 });
    parser.feed(Buffer.from('ANNOUNCE * RTSP/1.0\r\nCSeq: 1\r\nContent-Length: 4\r\n\r\n'));
    assert.equal(parser.next().kind, 'error');
  });
});
