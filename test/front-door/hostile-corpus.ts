// Hostile request heads for the front door: a fixed corpus with the answer each must get, and a
// seeded fuzzer that mutates a valid request. Shared by the parser test and the socket test.

/**
 * What the front door must do: answer one of these statuses then close at once; close at once without
 * an answer ('close'); or wait for the rest, answer nothing and close at the header timeout ('timeout').
 */
export type Expected = readonly number[] | 'close' | 'timeout';

export interface HostileCase {
  readonly name: string;
  readonly bytes: Buffer;
  readonly expected: Expected;
}

const CRLF = '\r\n';
const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');
const request = (line: string, headers: readonly string[], body = ''): Buffer =>
  latin1([line, ...headers, '', body].join(CRLF));
const DESCRIBE = 'DESCRIBE rtsp://127.0.0.1/video1 RTSP/1.0';

/** With the default limits (2 KiB request line, 64 headers of 4 KiB, 16 KiB head, 4 KiB body). */
export const HOSTILE_CORPUS: readonly HostileCase[] = [
  {
    name: 'NUL in the method',
    bytes: request('DESC\0RIBE rtsp://127.0.0.1/video1 RTSP/1.0', ['CSeq: 1']),
    expected: [400],
  },
  {
    name: 'NUL in a header value',
    bytes: request(DESCRIBE, ['CSeq: 1', 'Accept: app\0lication/sdp']),
    expected: [400],
  },
  { name: 'NUL alone, no line end', bytes: latin1('\0\0\0\0'), expected: [400] },
  { name: 'leading spaces', bytes: request(`   ${DESCRIBE}`, ['CSeq: 1']), expected: [400] },
  {
    name: '5 KB method',
    bytes: request(`${'D'.repeat(5000)} rtsp://127.0.0.1/video1 RTSP/1.0`, ['CSeq: 1']),
    expected: [414],
  },
  {
    name: '5 KB URL',
    bytes: request(`DESCRIBE rtsp://127.0.0.1/${'v'.repeat(5000)} RTSP/1.0`, ['CSeq: 1']),
    expected: [414],
  },
  { name: 'RTSP/9.9', bytes: request('DESCRIBE rtsp://127.0.0.1/video1 RTSP/9.9', ['CSeq: 1']), expected: [505] },
  { name: 'HTTP/1.1', bytes: request('GET / HTTP/1.1', ['Host: x']), expected: [400] },
  {
    name: '300 headers',
    bytes: request(DESCRIBE, ['CSeq: 1', ...Array.from({ length: 300 }, (_, i) => `X-H${i}: ${i}`)]),
    expected: [400],
  },
  { name: '8 KB header line', bytes: request(DESCRIBE, ['CSeq: 1', `X-Big: ${'a'.repeat(8192)}`]), expected: [400] },
  { name: 'CSeq twice', bytes: request(DESCRIBE, ['CSeq: 1', 'CSeq: 2']), expected: [400] },
  { name: 'CSeq twice, same value', bytes: request(DESCRIBE, ['CSeq: 1', 'CSeq: 1']), expected: [400] },
  {
    name: 'Content-Length twice, different',
    bytes: request(DESCRIBE, ['CSeq: 1', 'Content-Length: 0', 'Content-Length: 5'], 'hello'),
    expected: [400],
  },
  { name: 'CSeq missing', bytes: request(DESCRIBE, ['Accept: application/sdp']), expected: [400] },
  { name: 'CSeq negative', bytes: request(DESCRIBE, ['CSeq: -1']), expected: [400] },
  { name: 'CSeq not a number', bytes: request(DESCRIBE, ['CSeq: one']), expected: [400] },
  { name: 'CSeq fractional', bytes: request(DESCRIBE, ['CSeq: 1.5']), expected: [400] },
  { name: 'CSeq beyond 2^53', bytes: request(DESCRIBE, ['CSeq: 99999999999999999999']), expected: [400] },
  { name: 'CSeq empty', bytes: request(DESCRIBE, ['CSeq:']), expected: [400] },
  { name: 'Content-Length 2^32', bytes: request(DESCRIBE, ['CSeq: 1', 'Content-Length: 4294967296']), expected: [413] },
  {
    name: 'Content-Length 10^30',
    bytes: request(DESCRIBE, ['CSeq: 1', `Content-Length: 1${'0'.repeat(30)}`]),
    expected: [413],
  },
  { name: 'Content-Length -1', bytes: request(DESCRIBE, ['CSeq: 1', 'Content-Length: -1']), expected: [400] },
  {
    name: 'Content-Length not a number',
    bytes: request(DESCRIBE, ['CSeq: 1', 'Content-Length: 12abc']),
    expected: [400],
  },
  {
    name: 'Content-Length over the 4 KiB limit',
    bytes: request(DESCRIBE, ['CSeq: 1', 'Content-Length: 4097']),
    expected: [413],
  },
  {
    name: 'Content-Length 100, body never sent',
    bytes: request(DESCRIBE, ['CSeq: 1', 'Content-Length: 100']),
    expected: 'timeout',
  },
  { name: 'header without a colon', bytes: request(DESCRIBE, ['CSeq: 1', 'NoColonHere']), expected: [400] },
  { name: 'header name with a space', bytes: request(DESCRIBE, ['CSeq: 1', 'Bad Name: x']), expected: [400] },
  { name: 'continuation before any header', bytes: request(DESCRIBE, [' folded', 'CSeq: 1']), expected: [400] },
  {
    name: 'two spaces between parts',
    bytes: request('DESCRIBE  rtsp://127.0.0.1/video1 RTSP/1.0', ['CSeq: 1']),
    expected: [400],
  },
  { name: 'URI not rtsp', bytes: request('DESCRIBE http://127.0.0.1/video1 RTSP/1.0', ['CSeq: 1']), expected: [400] },
  {
    name: 'control byte in the URI',
    bytes: request('DESCRIBE rtsp://127.0.0.1/vid\x01eo1 RTSP/1.0', ['CSeq: 1']),
    expected: [400],
  },
  { name: 'interleaved frame', bytes: Buffer.from([0x24, 0x00, 0x00, 0x04, 1, 2, 3, 4]), expected: 'close' },
  { name: 'half a request line, then nothing', bytes: latin1('DESCRIBE rtsp://127.0.0.1/vid'), expected: 'timeout' },
  { name: 'head without its empty line', bytes: latin1(`${DESCRIBE}${CRLF}CSeq: 1${CRLF}`), expected: 'timeout' },
];

const TEMPLATES = [
  request(DESCRIBE, ['CSeq: 2', 'Accept: application/sdp', 'User-Agent: fuzz']),
  request('OPTIONS rtsp://127.0.0.1/video1 RTSP/1.0', ['CSeq: 1']),
  request('SETUP rtsp://127.0.0.1/video1/trackID=0 RTSP/1.0', [
    'CSeq: 3',
    'Transport: RTP/AVP;unicast;client_port=5000-5001',
  ]),
  request('SET_PARAMETER rtsp://127.0.0.1/video1 RTSP/1.0', ['CSeq: 4', 'Content-Length: 5'], 'x=1\r\n'),
];
// Bytes that matter to the parser, more often than chance would pick them.
const SPECIAL = [0x00, 0x0d, 0x0a, 0x20, 0x09, 0x3a, 0x24, 0x2f, 0x2d, 0x30, 0x39, 0x7f, 0xff];

/** A valid request with one to four mutations: byte flips, insertions (some long), deletions, duplications. */
export function fuzzedRequest(random: () => number): Buffer {
  const int = (below: number): number => Math.floor(random() * below);
  const byte = (): number => (random() < 0.5 ? SPECIAL[int(SPECIAL.length)]! : int(256));
  let bytes = Buffer.from(TEMPLATES[int(TEMPLATES.length)]!);
  for (let mutations = 1 + int(4); mutations > 0; mutations--) {
    const at = int(bytes.length + 1);
    switch (int(5)) {
      case 0: // flip one byte
        if (at < bytes.length) bytes[at] = byte();
        break;
      case 1: // insert a few bytes
        bytes = Buffer.concat([
          bytes.subarray(0, at),
          Buffer.from(Array.from({ length: 1 + int(8) }, byte)),
          bytes.subarray(at),
        ]);
        break;
      case 2: // insert a long run of one byte, up to 9 KB
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.alloc(1 + int(9000), byte()), bytes.subarray(at)]);
        break;
      case 3: // delete a range
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1 + int(10))]);
        break;
      default: {
        // duplicate a range (repeated headers, repeated lines)
        const end = Math.min(bytes.length, at + 1 + int(40));
        bytes = Buffer.concat([bytes.subarray(0, end), bytes.subarray(at, end), bytes.subarray(end)]);
      }
    }
  }
  return bytes;
}
