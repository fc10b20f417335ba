import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DEFAULT_PARSER_LIMITS,
  RequestParser,
  type ParseResult,
  type ParserLimits,
} from '../../src/front-door/request-parser.ts';
import { fuzzedRequest, HOSTILE_CORPUS } from './hostile-corpus.ts';
import { seededRandom } from '../support/seeded-random.ts';

const ERROR_STATUSES = new Set([400, 413, 414, 505]);

/** The most a parser may hold between calls: one line or head or body within the limits (+1 for a CR). */
function bufferBound(limits: ParserLimits): number {
  return Math.max(limits.maxRequestLineBytes + 1, limits.maxHeaderBlockBytes, limits.maxBodyBytes);
}

type Outcome =
  | { kind: 'request'; method: string; cseq: number; bodyBytes: number }
  | { kind: 'error'; status: number }
  | { kind: 'interleaved' };

/** Feeds `bytes` in pieces cut at `cuts`, draining after each; checks the buffer bound as it goes. */
function parse(
  bytes: Buffer,
  cuts: readonly number[],
  limits: ParserLimits = DEFAULT_PARSER_LIMITS,
): { outcomes: Outcome[]; maxBuffered: number } {
  const parser = new RequestParser(limits);
  const outcomes: Outcome[] = [];
  let maxBuffered = 0;
  let from = 0;
  for (const to of [...cuts, bytes.length]) {
    parser.feed(bytes.subarray(from, to));
    from = to;
    for (let result: ParseResult = parser.next(); result.kind !== 'need-more'; result = parser.next()) {
      if (result.kind === 'request')
        outcomes.push({ kind: 'request', method: result.method, cseq: result.cseq, bodyBytes: result.body.length });
      else outcomes.push(result.kind === 'error' ? { kind: 'error', status: result.status } : { kind: 'interleaved' });
      if (result.kind !== 'request') return { outcomes, maxBuffered: Math.max(maxBuffered, parser.bufferedBytes) };
    }
    maxBuffered = Math.max(maxBuffered, parser.bufferedBytes);
  }
  return { outcomes, maxBuffered };
}

describe('hostile input to the request parser', () => {
  for (const { name, bytes, expected } of HOSTILE_CORPUS) {
    const answer =
      expected === 'close'
        ? 'interleaved data (closed)'
        : expected === 'timeout'
          ? 'waits for more'
          : expected.join(' or ');
    test(`${name}: ${answer}, whole or byte by byte`, () => {
      const whole = parse(bytes, []);
      const byByte = parse(
        bytes,
        Array.from({ length: bytes.length }, (_, i) => i),
      );
      if (expected === 'close') {
        assert.deepEqual(whole.outcomes, [{ kind: 'interleaved' }]);
      } else if (expected === 'timeout') {
        assert.deepEqual(whole.outcomes, []);
      } else {
        assert.equal(whole.outcomes.length, 1, JSON.stringify(whole.outcomes));
        const [outcome] = whole.outcomes;
        assert.ok(outcome?.kind === 'error' && expected.includes(outcome.status), JSON.stringify(outcome));
      }
      // Byte by byte: the same verdict, or an earlier one of the same status (a line too long is known before its end).
      assert.deepEqual(byByte.outcomes, whole.outcomes);
      assert.ok(byByte.maxBuffered <= bufferBound(DEFAULT_PARSER_LIMITS), `buffered ${byByte.maxBuffered} bytes`);
    });
  }

  test('a declared body is never allocated beyond what arrived, and never beyond the limit', () => {
    const head = Buffer.from(
      'SET_PARAMETER rtsp://h/video1 RTSP/1.0\r\nCSeq: 1\r\nContent-Length: 4096\r\n\r\n',
      'latin1',
    );
    const parser = new RequestParser();
    parser.feed(head);
    assert.equal(parser.next().kind, 'need-more');
    assert.equal(parser.bufferedBytes, 0);
    parser.feed(Buffer.alloc(1000, 0x41));
    assert.equal(parser.next().kind, 'need-more');
    assert.equal(parser.bufferedBytes, 1000);
    // 2^32 is refused from the head alone: the parser then holds nothing.
    const huge = new RequestParser();
    huge.feed(
      Buffer.from(
        'SET_PARAMETER * RTSP/1.0\r\nCSeq: 1\r\nContent-Length: 4294967296\r\n\r\n' + 'A'.repeat(50_000),
        'latin1',
      ),
    );
    assert.deepEqual([huge.next().kind, huge.bufferedBytes], ['error', 0]);
  });

  test('seeded fuzz (seed 0x5eed): never throws, answers only 400/413/414/505, splits do not change the verdict, buffer stays bounded', () => {
    const random = seededRandom(0x5eed);
    const limits: ParserLimits = { ...DEFAULT_PARSER_LIMITS };
    const bound = bufferBound(limits);
    const deadline = Date.now() + 3000;
    const tally = { cases: 0, requests: 0, errors: 0, interleaved: 0, incomplete: 0 };
    for (let i = 0; i < 20_000 && Date.now() < deadline; i++) {
      const bytes = fuzzedRequest(random);
      const cuts = Array.from({ length: Math.floor(random() * 6) }, () => Math.floor(random() * bytes.length)).sort(
        (a, b) => a - b,
      );
      const whole = parse(bytes, [], limits);
      const split = parse(bytes, cuts, limits);
      const context = `case ${i}: ${JSON.stringify(bytes.toString('latin1').slice(0, 200))} cut at ${cuts.join(',')}`;
      assert.deepEqual(split.outcomes, whole.outcomes, context);
      assert.ok(
        whole.maxBuffered <= bound && split.maxBuffered <= bound,
        `buffered ${whole.maxBuffered}, ${split.maxBuffered}: ${context}`,
      );
      for (const outcome of whole.outcomes) {
        if (outcome.kind === 'error') assert.ok(ERROR_STATUSES.has(outcome.status), context);
        if (outcome.kind === 'request') assert.ok(outcome.bodyBytes <= limits.maxBodyBytes, context);
      }
      tally.cases++;
      const last = whole.outcomes.at(-1);
      if (!last) tally.incomplete++;
      else tally[last.kind === 'request' ? 'requests' : last.kind === 'error' ? 'errors' : 'interleaved']++;
    }
    assert.ok(tally.cases >= 1000, `only ${tally.cases} cases in 3 s`);
    // The fuzzer must reach both sides, or it tests nothing.
    assert.ok(tally.errors > 0 && tally.requests > 0, JSON.stringify(tally));
    console.log(`fuzz: ${JSON.stringify(tally)}`);
  });
});
