import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dispatchHelperEvent, type HelperEvent, type HelperEventHandlers } from '../../src/helper/events.ts';
import { parseHelperLine } from '../../src/helper/protocol.ts';

function parsed(line: string): HelperEvent {
  const result = parseHelperLine(line);
  assert.ok(result.ok, `expected ${line} to parse: ${result.ok ? '' : result.detail}`);
  return result.event;
}

describe('parseHelperLine', () => {
  it('parses every record type into typed values with camelCase keys', () => {
    assert.deepEqual(parsed('{"type":"hello","protocol":2,"pid":42,"gst_version":"1.22.0"}'), {
      type: 'hello',
      protocol: 2,
      pid: 42,
      gstVersion: '1.22.0',
    });
    assert.deepEqual(
      parsed(
        '{"type":"ready","host":"127.0.0.1","port":8555,"mount":"/video1","url":"rtsp://127.0.0.1:8555/video1","auth":true}',
      ),
      {
        type: 'ready',
        host: '127.0.0.1',
        port: 8555,
        mount: '/video1',
        url: 'rtsp://127.0.0.1:8555/video1',
        auth: true,
      },
    );
    assert.deepEqual(parsed('{"type":"media","event":"prepared","width":640,"height":480,"fps":30}'), {
      type: 'media',
      event: 'prepared',
      width: 640,
      height: 480,
      fps: 30,
    });
    assert.deepEqual(parsed('{"type":"client","event":"closed","client_id":3,"address":"::1","port":5000}'), {
      type: 'client',
      event: 'closed',
      clientId: 3,
      address: '::1',
      port: 5000,
    });
    assert.deepEqual(
      parsed('{"type":"client","event":"playing","client_id":4,"address":"127.0.0.1","port":5000,"transport":"tcp"}'),
      {
        type: 'client',
        event: 'playing',
        clientId: 4,
        address: '127.0.0.1',
        port: 5000,
        transport: 'tcp',
      },
    );
    assert.deepEqual(parsed('{"type":"client","event":"timeout","client_id":5}'), {
      type: 'client',
      event: 'timeout',
      clientId: 5,
    });
    assert.deepEqual(
      parsed(
        '{"type":"client","event":"skipping","client_id":8,"transport":"tcp","mount":"/video1","encoder":1,"unsent_bytes":214304}',
      ),
      {
        type: 'client',
        event: 'skipping',
        clientId: 8,
        transport: 'tcp',
        mount: '/video1',
        encoder: 1,
        unsentBytes: 214304,
      },
    );
    assert.deepEqual(
      parsed('{"type":"client","event":"resumed","client_id":8,"skipped_ms":3079,"skipped_bytes":1418815}'),
      {
        type: 'client',
        event: 'resumed',
        clientId: 8,
        skippedMs: 3079,
        skippedBytes: 1418815,
      },
    );
    assert.deepEqual(
      parsed(
        '{"type":"rejected","client_id":6,"address":"127.0.0.1","port":5002,"reason":"max_viewers","status":453,"method":"SETUP"}',
      ),
      {
        type: 'rejected',
        clientId: 6,
        address: '127.0.0.1',
        port: 5002,
        reason: 'max_viewers',
        status: 453,
        method: 'SETUP',
      },
    );
    assert.deepEqual(parsed('{"type":"rejected","client_id":7,"reason":"idle_timeout"}'), {
      type: 'rejected',
      clientId: 7,
      reason: 'idle_timeout',
    });
    assert.deepEqual(parsed('{"type":"heartbeat","t_us":6268571827,"connections":3,"sessions":1}'), {
      type: 'heartbeat',
      tUs: 6268571827,
      connections: 3,
      sessions: 1,
    });
    assert.deepEqual(
      parsed(
        '{"type":"feedback_refused","t_us":5,"mount":"/video2","encoder":3,"stranger_packets":1200,"over_rate_packets":7,"stranger_address":"10.0.0.9"}',
      ),
      {
        type: 'feedback_refused',
        tUs: 5,
        mount: '/video2',
        encoder: 3,
        strangerPackets: 1200,
        overRatePackets: 7,
        strangerAddress: '10.0.0.9',
      },
    );
    assert.deepEqual(
      parsed('{"type":"memory","heap_in_use_bytes":41943040,"heap_free_bytes":1048576,"rss_kib":88000}'),
      {
        type: 'memory',
        heapInUseBytes: 41943040,
        heapFreeBytes: 1048576,
        rssKiB: 88000,
      },
    );
    assert.deepEqual(
      parsed('{"type":"frame","pts_us":50210,"in_us":6343378998,"out_us":6343388847,"bytes":679,"key":false}'),
      {
        type: 'frame',
        ptsUs: 50210,
        inUs: 6343378998,
        outUs: 6343388847,
        bytes: 679,
        key: false,
      },
    );
    // Records of a real helper with an rtspsrc viewer (a report block, then TWCC feedback).
    assert.deepEqual(
      parsed(
        '{"type":"rtcp","t_us":929722663,"ssrc":2226474500,"client_id":1,"transport":"udp","address":"127.0.0.1","media_ssrc":1335354440,"fraction_lost":0,"packets_lost":-1,"highest_seq":32522,"jitter_us":122,"lsr":89579608,"dlsr_us":174225,"sender_ssrc":1335354440,"first_seq":32394,"sent_packets":129,"sr_age_us":199322}',
      ),
      {
        type: 'rtcp',
        tUs: 929722663,
        ssrc: 2226474500,
        clientId: 1,
        transport: 'udp',
        address: '127.0.0.1',
        mediaSsrc: 1335354440,
        fractionLost: 0,
        packetsLost: -1,
        highestSeq: 32522,
        jitterUs: 122,
        lsr: 89579608,
        dlsrUs: 174225,
        senderSsrc: 1335354440,
        firstSeq: 32394,
        sentPackets: 129,
        srAgeUs: 199322,
      },
    );
    assert.deepEqual(
      parsed(
        '{"type":"twcc","t_us":930134781,"ssrc":2226474500,"client_id":1,"transport":"udp","address":"127.0.0.1","feedback_count":19,"packets":17,"lost":0,"unknown":0,"sent_bytes":21290,"received_bytes":21290,"send_us":[930134020],"arrival_us":[598000],"group_bytes":[21290]}',
      ),
      {
        type: 'twcc',
        tUs: 930134781,
        ssrc: 2226474500,
        clientId: 1,
        transport: 'udp',
        address: '127.0.0.1',
        feedbackCount: 19,
        packets: 17,
        lost: 0,
        unknown: 0,
        sentBytes: 21290,
        receivedBytes: 21290,
        groups: [{ sendUs: 930134020, arrivalUs: 598000, bytes: 21290 }],
      },
    );
    assert.deepEqual(
      parsed('{"type":"feedback_dropped","t_us":5,"ssrc":9,"address":"10.0.0.2","reason":"twcc_truncated"}'),
      {
        type: 'feedback_dropped',
        tUs: 5,
        ssrc: 9,
        address: '10.0.0.2',
        reason: 'twcc_truncated',
      },
    );
    assert.deepEqual(parsed('{"type":"queue","client_id":2,"address":"127.0.0.1","unsent_bytes":686}'), {
      type: 'queue',
      clientId: 2,
      address: '127.0.0.1',
      unsentBytes: 686,
    });
    assert.deepEqual(parsed('{"type":"stats","t_us":6268571827,"packets_sent":171,"bytes_sent":42659}'), {
      type: 'stats',
      tUs: 6268571827,
      packetsSent: 171,
      bytesSent: 42659,
    });
    assert.deepEqual(parsed('{"type":"loop","count":2}'), { type: 'loop', count: 2 });
    assert.deepEqual(parsed('{"type":"bitrate","bitrate_kbps":1200,"requested_kbps":1200}'), {
      type: 'bitrate',
      bitrateKbps: 1200,
      requestedKbps: 1200,
    });
    assert.deepEqual(parsed('{"type":"error","code":"bad_command","message":"no","command":"fly"}'), {
      type: 'error',
      code: 'bad_command',
      message: 'no',
      command: 'fly',
    });
    assert.deepEqual(parsed('{"type":"bye","reason":"eof","exit_code":0}'), {
      type: 'bye',
      reason: 'eof',
      exitCode: 0,
    });
    // docs/protocol.md's example: the last request any thread began, its Transport header as sent.
    assert.deepEqual(
      parsed(
        '{"type":"crash","signal":"SIGABRT","serving":false,"client_id":1,"address":"127.0.0.1","port":34070,"method":"SETUP","url":"rtsp://127.0.0.1:20700/video1/stream=0","transport":"RTP/AVP;unicast;client_port=40100-40101"}',
      ),
      {
        type: 'crash',
        signal: 'SIGABRT',
        request: {
          serving: false,
          clientId: 1,
          address: '127.0.0.1',
          port: 34070,
          method: 'SETUP',
          url: 'rtsp://127.0.0.1:20700/video1/stream=0',
          transport: 'RTP/AVP;unicast;client_port=40100-40101',
        },
      },
    );
    assert.deepEqual(parsed('{"type":"crash","signal":"SIGSEGV","serving":true,"client_id":3,"method":"DESCRIBE"}'), {
      type: 'crash',
      signal: 'SIGSEGV',
      request: { serving: true, clientId: 3, method: 'DESCRIBE' },
    });
  });

  it('omits optional keys that are absent and ignores unknown keys', () => {
    assert.deepEqual(parsed('{"type":"bitrate","bitrate_kbps":900,"future_key":true}'), {
      type: 'bitrate',
      bitrateKbps: 900,
    });
    // A first RR, before the viewer echoed a sender report, from no known viewer.
    assert.deepEqual(
      parsed(
        '{"type":"rtcp","t_us":1,"ssrc":7,"media_ssrc":8,"jitter_us":0,"fraction_lost":0,"packets_lost":0,"highest_seq":9,"lsr":0,"dlsr_us":0}',
      ),
      {
        type: 'rtcp',
        tUs: 1,
        ssrc: 7,
        mediaSsrc: 8,
        jitterUs: 0,
        fractionLost: 0,
        packetsLost: 0,
        highestSeq: 9,
        lsr: 0,
        dlsrUs: 0,
      },
    );
    assert.deepEqual(parsed('{"type":"frame","out_us":12}'), { type: 'frame', outUs: 12 });
    // No request known: the signal alone.
    assert.deepEqual(parsed('{"type":"crash","signal":"SIGBUS"}'), { type: 'crash', signal: 'SIGBUS' });
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
      ['{"type":"client","event":"playing","client_id":1,"transport":"sctp"}', 'bad_field'],
      ['{"type":"frame","pts_us":1,"in_us":2}', 'bad_field'],
      ['{"type":"frame","out_us":3,"key":"yes"}', 'bad_field'],
      ['{"type":"frame","out_us":3,"bytes":"12"}', 'bad_field'],
      [
        '{"type":"rtcp","t_us":1,"ssrc":7,"media_ssrc":8,"transport":"udp","jitter_us":0,"fraction_lost":1.5,"packets_lost":0,"highest_seq":9,"lsr":0,"dlsr_us":0}',
        'bad_field',
      ],
      [
        '{"type":"rtcp","t_us":1,"ssrc":7,"media_ssrc":8,"transport":"quic","jitter_us":0,"fraction_lost":0,"packets_lost":0,"highest_seq":9,"lsr":0,"dlsr_us":0}',
        'bad_field',
      ],
      [
        '{"type":"rtcp","t_us":1,"ssrc":7,"media_ssrc":8,"fraction_lost":0,"packets_lost":0,"highest_seq":9,"lsr":0,"dlsr_us":0}',
        'bad_field',
      ],
      [
        '{"type":"rtcp","t_us":1,"ssrc":7,"media_ssrc":8,"jitter_us":0,"fraction_lost":0,"packets_lost":0,"highest_seq":9,"lsr":0,"dlsr_us":0,"sr_age_us":"old"}',
        'bad_field',
      ],
      [
        '{"type":"twcc","t_us":1,"ssrc":7,"feedback_count":0,"packets":1,"lost":0,"unknown":0,"sent_bytes":9,"received_bytes":9,"send_us":[1,2],"arrival_us":[1],"group_bytes":[9]}',
        'bad_field',
      ],
      [
        '{"type":"twcc","t_us":1,"ssrc":7,"feedback_count":0,"packets":1,"lost":0,"unknown":0,"sent_bytes":9,"received_bytes":9,"send_us":["x"],"arrival_us":[1],"group_bytes":[9]}',
        'bad_field',
      ],
      ['{"type":"queue","client_id":2,"unsent_bytes":null}', 'bad_field'],
      ['{"type":"queue","unsent_bytes":0}', 'bad_field'],
      ['{"type":"client","event":"refused","client_id":1}', 'bad_field'],
      ['{"type":"rejected","client_id":1,"status":400}', 'bad_field'],
      ['{"type":"heartbeat","t_us":1,"connections":"2","sessions":0}', 'bad_field'],
      ['{"type":"stats","t_us":1,"packets_sent":2}', 'bad_field'],
      ['{"type":"stats","t_us":1,"packets_sent":2,"bytes_sent":"many"}', 'bad_field'],
      ['{"type":"crash"}', 'bad_field'],
      ['{"type":"crash","signal":6}', 'bad_field'],
      ['{"type":"crash","signal":"SIGABRT","serving":"yes","method":"SETUP"}', 'bad_field'],
      ['{"type":"crash","signal":"SIGABRT","serving":true,"port":"554"}', 'bad_field'],
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
      frame: () => seen.push('frame'),
      rtcp: () => seen.push('rtcp'),
      twcc: () => seen.push('twcc'),
      feedback_dropped: () => seen.push('feedback_dropped'),
      feedback_refused: () => seen.push('feedback_refused'),
      queue: () => seen.push('queue'),
      stats: (event) => seen.push(`stats ${event.bytesSent}`),
      loop: (event) => seen.push(`loop ${event.count}`),
      source: (event) => seen.push(`source ${event.state}`),
      source_stats: (event) => seen.push(`source_stats ${event.fps}`),
      bitrate: () => seen.push('bitrate'),
      error: () => seen.push('error'),
      rejected: (event) => seen.push(`rejected ${event.reason}`),
      heartbeat: () => seen.push('heartbeat'),
      memory: () => seen.push('memory'),
      bye: () => seen.push('bye'),
      crash: (event) => seen.push(`crash ${event.signal}`),
      whep: (event) => seen.push(`whep ${event.event}`),
    };
    dispatchHelperEvent({ type: 'loop', count: 7 }, handlers);
    dispatchHelperEvent({ type: 'stats', tUs: 1, packetsSent: 2, bytesSent: 3 }, handlers);
    dispatchHelperEvent({ type: 'rejected', clientId: 1, reason: 'evicted' }, handlers);
    dispatchHelperEvent({ type: 'bye', reason: 'quit', exitCode: 0 }, handlers);
    dispatchHelperEvent({ type: 'crash', signal: 'SIGABRT' }, handlers);
    assert.deepEqual(seen, ['loop 7', 'stats 3', 'rejected evicted', 'bye', 'crash SIGABRT']);
  });
});
