import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dispatchHelperEvent, parseHelperLine, type HelperEvent, type HelperEventHandlers } from '../../src/helper/protocol.ts';

function parsed(line: string): HelperEvent {
  const result = parseHelperLine(line);
  assert.ok(result.ok, `expected ${line} to parse: ${result.ok ? '' : result.detail}`);
  return result.event;
}

describe('parseHelperLine', () => {
  it('parses every record type into typed values with camelCase keys', () => {
    assert.deepEqual(parsed('{"type":"hello","protocol":1,"pid":42,"gst_version":"1.22.0"}'), {
      type: 'hello', protocol: 1, pid: 42, gstVersion: '1.22.0',
    });
    assert.deepEqual(parsed('{"type":"ready","host":"127.0.0.1","port":8555,"mount":"/video1","url":"rtsp://127.0.0.1:8555/video1"}'), {
      type: 'ready', host: '127.0.0.1', port: 8555, mount: '/video1', url: 'rtsp://127.0.0.1:8555/video1',
    });
    assert.deepEqual(parsed('{"type":"media","event":"prepared","width":640,"height":480,"fps":30}'), {
      type: 'media', event: 'prepared', width: 640, height: 480, fps: 30,
    });
    assert.deepEqual(parsed('{"type":"client","event":"closed","client_id":3,"address":"::1","port":5000}'), {
      type: 'client', event: 'closed', clientId: 3, address: '::1', port: 5000,
    });
    assert.deepEqual(parsed('{"type":"loop","count":2}'), { type: 'loop', count: 2 });
    assert.deepEqual(parsed('{"type":"bitrate","bitrate_kbps":1200,"requested_kbps":1200}'), {
      type: 'bitrate', bitrateKbps: 1200, requestedKbps: 1200,
    });
    assert.deepEqual(parsed('{"type":"error","code":"bad_command","message":"no","command":"fly"}'), {
      type: 'error', code: 'bad_command', message: 'no', command: 'fly',
    });
    assert.deepEqual(parsed('{"type":"bye","reason":"eof","exit_code":0}'), { type: 'bye', reason: 'eof', exitCode: 0 });
  });

  it('omits optional keys that are absent and ignores unknown keys', () => {
    assert.deepEqual(parsed('{"type":"bitrate","bitrate_kbps":900,"future_key":true}'), { type: 'bitrate', bitrateKbps: 900 });
  });

  it('reports truncated lines, non-objects, unknown types and bad values without throwing', () => {
    const cases: Array<[string, string]> = [
      ['{"type":"loop","cou', 'not_json'],
      ['', 'not_json'],
      ['[1,2]', 'not_object'],
      ['null', 'not_object'],
      ['{"type":"teleport"}', 'unknown_type'],
      ['{"type":"toString"}', 'unknown_type'],
      ['{"no_type":1}', 'unknown_type'],
      ['{"type":"loop","count":"two"}', 'bad_field'],
      ['{"type":"ready","host":"h","port":1,"mount":"/v"}', 'bad_field'],
      ['{"type":"client","event":"exploded","client_id":1}', 'bad_field'],
      ['{"type":"bye","reason":"quit","exit_code":null}', 'bad_field'],
    ];
    for (const [line, kind] of cases) {
      const result = parseHelperLine(line);
      assert.equal(result.ok, false, line);
      if (!result.ok) assert.equal(result.kind, kind, line);
    }
  });
});

describe('dispatchHelperEvent', () => {
  it('calls the handler of the record kind', () => {
    const seen: string[] = [];
    const handlers: HelperEventHandlers = {
      hello: () => seen.push('hello'),
      ready: () => seen.push('ready'),
      media: () => seen.push('media'),
      client: () => seen.push('client'),
      loop: (event) => seen.push(`loop ${event.count}`),
      bitrate: () => seen.push('bitrate'),
      error: () => seen.push('error'),
      bye: () => seen.push('bye'),
    };
    dispatchHelperEvent({ type: 'loop', count: 7 }, handlers);
    dispatchHelperEvent({ type: 'bye', reason: 'quit', exitCode: 0 }, handlers);
    assert.deepEqual(seen, ['loop 7', 'bye']);
  });
});
