import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorResponse, serializeResponse } from '../../src/front-door/responses.ts';

const NOW = new Date(Date.UTC(2026, 10, 25, 10, 0, 0));

test('a response has CSeq, Server, Date, its headers and Content-Length: 0', () => {
  const text = serializeResponse(
    { status: 302, cseq: 7, headers: [['Location', 'rtsp://h:8555/video1']], close: false },
    NOW,
  );
  assert.equal(
    text.toString('latin1'),
    'RTSP/1.0 302 Moved Temporarily\r\nCSeq: 7\r\nServer: abr-rtsp-server (front door)\r\n' +
      'Date: Wed, 25 Nov 2026 10:00:00 GMT\r\nLocation: rtsp://h:8555/video1\r\nContent-Length: 0\r\n\r\n',
  );
});

test('an error response echoes a valid CSeq, or none, and closes', () => {
  const withCseq = errorResponse({ kind: 'error', status: 413, reason: 'r', cseq: 4 });
  assert.deepEqual(withCseq, { status: 413, cseq: 4, headers: [], close: true });
  const text = serializeResponse(
    errorResponse({ kind: 'error', status: 505, reason: 'r', cseq: undefined }),
    NOW,
  ).toString();
  assert.match(text, /^RTSP\/1\.0 505 RTSP Version not supported\r\nServer: /);
  assert.doesNotMatch(text, /CSeq/);
});
