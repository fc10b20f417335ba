import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clientText, exitLabel, failureText, helperFailure } from '../../src/supervisor/helper-failure.ts';

const ASSERTION =
  "GStreamer-RTSP-Server:ERROR:../gst/rtsp-server/rtsp-client.c:1169:get_data_seq: 'data_seq' should not be NULL";
const SETUP = {
  serving: true,
  clientId: 1,
  address: '127.0.0.1',
  port: 34070,
  method: 'SETUP',
  url: 'rtsp://127.0.0.1:20700/video1/stream=0',
  transport: 'RTP/AVP;unicast;client_port=40100-40101',
};

describe('helperFailure', () => {
  it('labels the exit with few values: the signal, the code, or not started', () => {
    assert.equal(exitLabel({ signal: 'SIGABRT', durationMs: 1 }), 'SIGABRT');
    assert.equal(exitLabel({ exitCode: 3, durationMs: 1 }), 'code_3');
    assert.equal(exitLabel({ spawnError: 'spawn ENOENT', durationMs: 1 }), 'not_started');
  });

  it("joins the exit, the crash record's request and the last fatal message of the log", () => {
    const failure = helperFailure(
      { signal: 'SIGABRT', durationMs: 3_200 },
      {
        killReason: undefined,
        startError: undefined,
        crash: { type: 'crash', signal: 'SIGABRT', request: SETUP },
        stderrTail: ['0:00:03.1 9 0x1 WARN rtspclient rtsp-client.c:1:f: x', '**', ASSERTION],
      },
    );
    assert.deepEqual(failure, {
      exit: 'SIGABRT',
      lastExit: 'was killed by SIGABRT',
      request: SETUP,
      fatalMessage: ASSERTION,
    });
  });

  it("keeps the supervisor's own reason for a kill, and nothing it does not know", () => {
    const failure = helperFailure(
      { signal: 'SIGKILL', durationMs: 9_000 },
      {
        killReason: 'watchdog: no heartbeat for 5 s',
        startError: undefined,
        crash: undefined,
        stderrTail: ['a warning'],
      },
    );
    assert.deepEqual(failure, {
      exit: 'SIGKILL',
      lastExit: 'was killed by SIGKILL',
      reason: 'watchdog: no heartbeat for 5 s',
    });
  });

  it('keeps what a helper that could not start said, and says it', () => {
    const failure = helperFailure(
      { exitCode: 4, durationMs: 90 },
      {
        killReason: undefined,
        startError: { type: 'error', code: 'pipeline', message: 'no element "x264enc"' },
        crash: undefined,
        stderrTail: [],
      },
    );
    assert.deepEqual(failure, {
      exit: 'code_4',
      lastExit: 'exited with code 4',
      startError: 'pipeline: no element "x264enc"',
    });
    assert.equal(
      failureText(failure, 90),
      'helper exited with code 4 after 0.1 s, it said "pipeline: no element \\"x264enc\\""',
    );
  });
});

describe('failureText', () => {
  it('says on one line what died, while serving what, for whom, and what its log said', () => {
    const text = failureText(
      { exit: 'SIGABRT', lastExit: 'was killed by SIGABRT', request: SETUP, fatalMessage: ASSERTION },
      3_210,
    );
    assert.equal(
      text,
      `helper was killed by SIGABRT after 3.2 s, serving SETUP "rtsp://127.0.0.1:20700/video1/stream=0" (Transport "RTP/AVP;unicast;client_port=40100-40101") from 127.0.0.1:34070, its log said "${ASSERTION}"`,
    );
    assert.doesNotMatch(text, /\n/);
  });

  it('names the last request begun when no thread was serving one, and the kill reason', () => {
    const request = {
      serving: false,
      clientId: 4,
      address: '::1',
      port: 5000,
      method: 'DESCRIBE',
      url: 'rtsp://[::1]:8555/video1',
    };
    assert.equal(
      failureText(
        { exit: 'SIGKILL', lastExit: 'was killed by SIGKILL', reason: 'watchdog: no frames for 5 s', request },
        61_000,
      ),
      'helper was killed by SIGKILL after 61.0 s (watchdog: no frames for 5 s), last request DESCRIBE "rtsp://[::1]:8555/video1" from [::1]:5000',
    );
    assert.equal(
      failureText({ exit: 'code_3', lastExit: 'exited with code 3' }, 100),
      'helper exited with code 3 after 0.1 s',
    );
  });

  it('quotes what a client chose, so that no control character reaches the console', () => {
    const text = failureText(
      {
        exit: 'SIGSEGV',
        lastExit: 'was killed by SIGSEGV',
        request: { serving: true, method: 'SETUP', url: 'rtsp://h/\u001b[2Jx', transport: 'RTP/AVP\u0007' },
      },
      1_000,
    );
    assert.doesNotMatch(text, /[\u0000-\u001f]/);
    assert.match(text, /"rtsp:\/\/h\/\\u001b\[2Jx" \(Transport "RTP\/AVP\\u0007"\)$/);
  });

  it('names a client without an address by its number', () => {
    assert.equal(clientText({ serving: true, clientId: 7 }), 'client 7');
    assert.equal(clientText({ serving: true, address: '10.0.0.2' }), '10.0.0.2');
    assert.equal(clientText({ serving: true }), undefined);
  });
});
