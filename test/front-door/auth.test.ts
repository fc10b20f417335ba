import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { authorize, parseAuthParams, type AuthGuard, type Credentials } from '../../src/front-door/auth.ts';
import { AuthThrottle, DEFAULT_AUTH_THROTTLE } from '../../src/front-door/auth-throttle.ts';
import {
  AUTH_REALM,
  checkNonce,
  clientAddress,
  digestResponse,
  newNonce,
  NONCE_LIFETIME_S,
} from '../../src/front-door/digest.ts';
import type { RtspRequest } from '../../src/front-door/request-head.ts';
import { RequestParser } from '../../src/front-door/request-parser.ts';
import { redirectCredentials } from '../../src/front-door/redirect-token.ts';
import { route, type MountLookup } from '../../src/front-door/route.ts';
import { digestHeader } from '../support/digest-header.ts';

const KEY = Buffer.alloc(32, 7);
const NOW_S = 1_795_000_000;
const CLIENT = '192.0.2.7';
const URL = 'rtsp://127.0.0.1:8554/video1';
const credentials: Credentials = { user: 'viewer', password: 'pa:ss', basic: false, key: KEY };

function requestOf(method: string, url: string, headers: string[] = []): RtspRequest {
  const parser = new RequestParser();
  parser.feed(Buffer.from(`${[`${method} ${url} RTSP/1.0`, 'CSeq: 2', ...headers].join('\r\n')}\r\n\r\n`));
  const result = parser.next();
  assert.equal(result.kind, 'request', JSON.stringify(result));
  return result;
}

function digest(
  method: string,
  { user = 'viewer', password = 'pa:ss', nonce = newNonce(KEY, NOW_S, CLIENT), uri = URL } = {},
): string {
  return digestHeader({ user, password, method, uri, nonce });
}

/** A verdict from a throttle of its own: these tests are about the credentials alone. */
const verdict = (headers: string[], basic = false, method = 'DESCRIBE', from = CLIENT, url = URL) =>
  authorize(
    requestOf(method, url, headers),
    { credentials: { ...credentials, basic }, throttle: new AuthThrottle() },
    from,
    NOW_S,
  );

describe('digest nonces and responses', () => {
  test("the response is RFC 2069's (its example in section 2.4)", () => {
    assert.equal(
      digestResponse(
        'Mufasa',
        'testrealm@host.com',
        'CircleOfLife',
        'GET',
        '/dir/index.html',
        'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      ),
      '1949323746fe6a43ef61f9606e7febea',
    );
  });

  test('a nonce is valid for its lifetime and its client, stale after, invalid when forged, elsewhere or under another key', () => {
    const nonce = newNonce(KEY, NOW_S, CLIENT);
    assert.match(nonce, /^[0-9a-f]{44}$/);
    assert.equal(checkNonce(KEY, nonce, NOW_S, CLIENT), 'valid');
    assert.equal(checkNonce(KEY, nonce.toUpperCase(), NOW_S, CLIENT), 'valid', 'hex in either case');
    assert.equal(checkNonce(KEY, nonce, NOW_S + NONCE_LIFETIME_S, CLIENT), 'valid');
    assert.equal(checkNonce(KEY, nonce, NOW_S + NONCE_LIFETIME_S + 1, CLIENT), 'stale');
    assert.equal(checkNonce(KEY, nonce, NOW_S, '192.0.2.8'), 'invalid', 'another client cannot replay it');
    assert.equal(checkNonce(Buffer.alloc(32, 8), nonce, NOW_S, CLIENT), 'invalid');
    const later = (NOW_S + 3600).toString(16).padStart(12, '0');
    assert.equal(
      checkNonce(KEY, later + nonce.slice(12), NOW_S, CLIENT),
      'invalid',
      'a longer life cannot be written in',
    );
    for (const bad of ['', 'zz', nonce.slice(1), `${nonce}0`, nonce.replace(/.$/, 'g')])
      assert.equal(checkNonce(KEY, bad, NOW_S, CLIENT), 'invalid', bad);
  });

  test('the client address is written the same on both sides: IPv4-mapped IPv6 as plain IPv4', () => {
    assert.equal(clientAddress('::ffff:192.0.2.7'), '192.0.2.7');
    assert.equal(clientAddress('192.0.2.7'), '192.0.2.7');
    assert.equal(clientAddress('2001:db8::1'), '2001:db8::1');
  });

  test('auth params: quoted, unquoted, escaped, any case; of a repeated one, the first', () => {
    assert.deepEqual(
      [...parseAuthParams('Username="a \\"b\\"", REALM=r, nonce="n,1",uri="rtsp://h/v", username=second')],
      [
        ['username', 'a "b"'],
        ['realm', 'r'],
        ['nonce', 'n,1'],
        ['uri', 'rtsp://h/v'],
      ],
    );
  });
});

describe('authorize', () => {
  test('no credentials: 401 with a Digest challenge on a fresh nonce (and Basic first with --auth-basic)', () => {
    const none = verdict([]);
    assert.equal(none.ok, false);
    const challenges = none.ok ? [] : none.challenges;
    assert.equal(challenges.length, 1);
    const params = parseAuthParams(challenges[0]!.replace(/^Digest /, ''));
    assert.equal(params.get('realm'), AUTH_REALM);
    assert.equal(checkNonce(KEY, params.get('nonce')!, NOW_S, CLIENT), 'valid');
    const both = verdict([], true);
    assert.deepEqual(both.ok ? [] : both.challenges.map((c) => c.split(' ')[0]), ['Basic', 'Digest']);
  });

  test('right Digest credentials pass; a wrong password, user, method, nonce or client does not; an expired nonce is stale', () => {
    assert.deepEqual(verdict([digest('DESCRIBE')]), { ok: true });
    assert.deepEqual(
      verdict([digest('DESCRIBE')], false, 'DESCRIBE', '::ffff:192.0.2.7'),
      { ok: true },
      'the same client over IPv4-mapped IPv6',
    );
    assert.equal(
      verdict([digest('DESCRIBE')], false, 'DESCRIBE', '192.0.2.8').ok,
      false,
      'a nonce replayed by another client',
    );
    for (const wrong of [
      digest('DESCRIBE', { password: 'nope' }),
      digest('DESCRIBE', { user: 'eve' }),
      digest('SETUP'),
      digest('DESCRIBE', { nonce: 'f'.repeat(44) }),
    ]) {
      const result = verdict([wrong]);
      assert.equal(result.ok, false, wrong);
      assert.doesNotMatch(result.ok ? '' : result.challenges.join(), /stale/, wrong);
    }
    const stale = verdict([digest('DESCRIBE', { nonce: newNonce(KEY, NOW_S - 2 * NONCE_LIFETIME_S, CLIENT) })]);
    assert.match(stale.ok ? '' : stale.challenges.join(), /stale=TRUE/);
  });

  test("the Digest uri must name the request's target: the same text, or the same path and query however the host is written", () => {
    const answerFor = (uri: string) => [digest('DESCRIBE', { uri })];
    assert.equal(
      verdict(answerFor('rtsp://127.0.0.1:8554/video1'), false, 'DESCRIBE', CLIENT, 'rtsp://127.0.0.1:8554/video2').ok,
      false,
      'an answer for /video1 on a request for /video2',
    );
    for (const [uri, url] of [
      ['rtsp://localhost:8554/video1', URL],
      ['rtsp://127.0.0.1/video1', URL],
      ['/video1', URL],
      [URL, '/video1'],
      ['RTSP://[::1]:8554/video1?a=1', 'rtsp://127.0.0.1:8554/video1?a=1'],
    ]) {
      assert.deepEqual(verdict(answerFor(uri!), false, 'DESCRIBE', CLIENT, url), { ok: true }, `${uri} for ${url}`);
    }
    for (const [uri, url] of [
      ['rtsp://127.0.0.1:8554/video1?a=1', URL],
      ['rtsp://127.0.0.1:8554/video1/', URL],
      ['rtsp://127.0.0.1:8554/Video1', URL],
      ['rtsp://127.0.0.1:8554', URL],
      ['', URL],
      ['video1', URL],
      ['*', URL],
    ]) {
      assert.equal(verdict(answerFor(uri!), false, 'DESCRIBE', CLIENT, url).ok, false, `${uri} for ${url}`);
    }
  });

  test('Basic passes only with --auth-basic; garbage never does', () => {
    const basic = `Authorization: Basic ${Buffer.from('viewer:pa:ss').toString('base64')}`;
    assert.equal(verdict([basic]).ok, false);
    assert.equal(verdict([basic], true).ok, true);
    for (const garbage of [
      'Authorization: Basic',
      'Authorization: Digest',
      'Authorization: Digest ,,,,',
      'Authorization: Bearer x',
      'Authorization: ',
    ]) {
      assert.equal(verdict([garbage], true).ok, false, garbage);
    }
  });
});

describe('authorize with the throttle', () => {
  /** One guard whose throttle runs on a clock the test moves. */
  function guarded(): {
    guard: AuthGuard;
    advance: (ms: number) => void;
    ask: (headers: string[], from?: string) => ReturnType<typeof authorize>;
  } {
    let nowMs = 0;
    const guard = { credentials, throttle: new AuthThrottle(DEFAULT_AUTH_THROTTLE, () => nowMs) };
    return {
      guard,
      advance: (ms) => (nowMs += ms),
      ask: (headers, from = CLIENT) => authorize(requestOf('DESCRIBE', URL, headers), guard, from, NOW_S),
    };
  }
  const refusalOf = (result: ReturnType<typeof authorize>) => (result.ok ? 'ok' : result.refusal);
  const right = (from = CLIENT) => digest('DESCRIBE', { nonce: newNonce(KEY, NOW_S, from) });

  test("after 10 wrong answers an address's right ones are refused unchecked, with the usual challenge, until its bucket refills; other addresses pass", () => {
    const { advance, ask } = guarded();
    for (let i = 0; i < 10; i += 1)
      assert.equal(refusalOf(ask([digest('DESCRIBE', { password: `guess${i}` })])), 'failed', `guess ${i}`);
    const locked = ask([right()]);
    assert.equal(refusalOf(locked), 'throttled');
    assert.match(locked.ok ? '' : locked.challenges.join(), /^Digest realm="abr-rtsp-server", nonce="[0-9a-f]{44}"$/);
    assert.equal(
      refusalOf(ask([right('::ffff:192.0.2.7')], '::ffff:192.0.2.7')),
      'throttled',
      'the same client over IPv4-mapped IPv6',
    );
    assert.equal(refusalOf(ask([right('192.0.2.8')], '192.0.2.8')), 'ok', 'another address');
    advance(6_000);
    assert.equal(refusalOf(ask([right()])), 'ok', 'one failure refilled: checked again');
  });

  test('a request without credentials and right ones on an expired nonce are no failures', () => {
    const { ask } = guarded();
    const stale = digest('DESCRIBE', { nonce: newNonce(KEY, NOW_S - 2 * NONCE_LIFETIME_S, CLIENT) });
    for (let i = 0; i < 30; i += 1) {
      assert.equal(refusalOf(ask([])), 'missing');
      assert.equal(refusalOf(ask([stale])), 'stale');
    }
    assert.equal(refusalOf(ask([right()])), 'ok');
  });

  test('each Authorization header is a guess: a request of 12 wrong ones and a right one spends the bucket and is refused', () => {
    const { ask } = guarded();
    const wrong = Array.from({ length: 12 }, (_, i) => digest('DESCRIBE', { password: `guess${i}` }));
    assert.equal(refusalOf(ask([...wrong, right()])), 'throttled');
    assert.equal(refusalOf(ask([right()])), 'throttled');
  });
});

describe('route with --auth', () => {
  const lookup: MountLookup = (name) => (name === 'video1' ? { state: 'up', helperPort: 8555 } : undefined);
  const routed = (method: string, url: string, headers: string[] = []) =>
    route(
      requestOf(method, url, headers),
      lookup,
      { localAddress: '127.0.0.1', remoteAddress: CLIENT },
      { credentials, throttle: new AuthThrottle() },
    );
  const status = (method: string, url: string, headers: string[] = []) => routed(method, url, headers).status;

  test('a 401 says why, for the counters', () => {
    assert.equal(routed('DESCRIBE', URL).refusal, 'missing');
    assert.equal(routed('DESCRIBE', URL, [digest('DESCRIBE', { password: 'nope' })]).refusal, 'failed');
  });

  test('OPTIONS needs no credentials; anything else needs them before a mount is even looked up', () => {
    assert.equal(status('OPTIONS', URL), 200);
    assert.equal(status('DESCRIBE', URL), 401);
    assert.equal(status('DESCRIBE', 'rtsp://127.0.0.1:8554/nope'), 401);
    const fresh = (method: string, url: string) =>
      digest(method, { uri: url, nonce: newNonce(KEY, Date.now() / 1000, CLIENT) });
    assert.equal(status('DESCRIBE', URL, [fresh('DESCRIBE', URL)]), 302);
    assert.equal(
      status('DESCRIBE', 'rtsp://127.0.0.1:8554/nope', [fresh('DESCRIBE', 'rtsp://127.0.0.1:8554/nope')]),
      404,
    );
  });

  test("the 302 carries the front door's own credentials for the helper: the client's, this video's, never the password", () => {
    const nowS = 1_765_112_345;
    const answer = route(
      requestOf('DESCRIBE', URL, [digest('DESCRIBE', { uri: URL, nonce: newNonce(KEY, Date.now() / 1000, CLIENT) })]),
      lookup,
      { localAddress: '127.0.0.1', remoteAddress: CLIENT },
      { credentials, throttle: new AuthThrottle() },
      () => nowS,
    );
    const location = new globalThis.URL(answer.headers.find(([name]) => name === 'Location')![1]);
    const token = redirectCredentials(KEY, CLIENT, '/video1', nowS);
    assert.deepEqual([location.username, location.password], [token.user, token.password]);
    assert.equal(location.username, `abr-redirect-${nowS + 60}`);
    assert.equal(`${location.host}${location.pathname}`, '127.0.0.1:8555/video1');
    assert.notEqual(token.password, redirectCredentials(KEY, '127.0.0.2', '/video1', nowS).password);
    assert.notEqual(token.password, redirectCredentials(KEY, CLIENT, '/video2', nowS).password);
    assert.equal(token.password, redirectCredentials(KEY, CLIENT, '/video1/stream=0', nowS).password);
  });

  test('the same credentials as the helper derives (native/tests/test-redirect-token.c)', () => {
    assert.deepEqual(redirectCredentials(Buffer.alloc(32, 7), '127.0.0.1', '/video2', 1_765_112_345), {
      user: 'abr-redirect-1765112405',
      password: '506c4c130a8ec87450161f5b0079b0b0',
    });
  });
});
