import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StreamFeedback } from '../src/feedback/stream-feedback.ts';
import { parseHelperLine } from '../src/helper/protocol.ts';
import { StreamRecorder } from '../src/metrics/stream-recorder.ts';
import type { NdjsonWriter } from '../src/metrics/ndjson-writer.ts';

function recorder() {
  const records: Array<Record<string, unknown>> = [];
  const writer: NdjsonWriter = {
    path: 'memory',
    append: (record) => records.push(record as Record<string, unknown>),
    flush() {},
    close() {},
  };
  const stream = {
    number: 2,
    name: 'video2',
    mount: '/video2',
    mode: 'dynamic' as const,
    file: 'a.mp4',
    helperPort: 8556,
    startBitrateKbps: 2000,
    picture: { width: 640, height: 480, fps: 30 },
    audio: undefined,
    audioText: 'no audio',
    uri: undefined,
  };
  let nowMs = 0;
  const subject = new StreamRecorder(stream, writer, { fromMonotonicUs: (us) => us / 1000, nowMs: () => nowMs });
  // As serve.ts wires it: feedback checked first.
  const feedback = new StreamFeedback();
  const feed = (line: string): void => {
    const parsed = parseHelperLine(line);
    if (parsed.ok) for (const event of feedback.accept(parsed.event)) subject.onEvent(event);
    else subject.onBadLine(parsed);
  };
  return { records, subject, feed, at: (ms: number) => (nowMs = ms) };
}

/** A report block from client 1 about stream SSRC 5, `highest_seq` packets into its stream. */
function rtcp(tMs: number, fields: Record<string, unknown>): string {
  return JSON.stringify({
    type: 'rtcp',
    t_us: tMs * 1000,
    ssrc: 7,
    client_id: 1,
    transport: 'udp',
    media_ssrc: 5,
    sender_ssrc: 5,
    jitter_us: 900,
    fraction_lost: 0,
    packets_lost: 0,
    highest_seq: 10,
    lsr: 0,
    dlsr_us: 0,
    first_seq: 0,
    sent_packets: 100,
    ...fields,
  });
}

describe('StreamRecorder', () => {
  it('turns helper records into figures, status and summary', () => {
    const { records, subject, feed } = recorder();
    subject.onState({ kind: 'running', sinceMs: 0, pid: 1 });
    feed('{"type":"media","event":"prepared","width":640,"height":480,"fps":25}');
    feed('{"type":"client","event":"playing","client_id":1,"address":"127.0.0.1","transport":"udp"}');
    for (let i = 0; i < 50; i += 1) {
      feed(
        JSON.stringify({
          type: 'frame',
          pts_us: i * 40_000,
          in_us: 1_000_000 + i * 40_000,
          out_us: 1_002_000 + i * 40_000,
          file_us: (i % 25) * 40_000,
          bytes: 1250,
          key: i === 0,
        }),
      );
    }
    feed('{"type":"stats","t_us":1000000,"packets_sent":0,"bytes_sent":0}');
    feed('{"type":"stats","t_us":2000000,"packets_sent":100,"bytes_sent":125000}');
    feed(rtcp(2000, { highest_seq: 10 }));

    let status = subject.status();
    assert.equal(status.viewers, 1);
    assert.equal(status.rttMs, undefined, 'no RTT until the viewer echoed a sender report');
    assert.equal(status.silentViewers, 0);
    assert.equal(status.sentKbps, 1000);
    assert.equal(status.fps, 25);
    assert.equal(status.latencyMs, 2);

    feed(
      rtcp(2100, { highest_seq: 28, fraction_lost: 0.5, packets_lost: 9, lsr: 77, sr_age_us: 20_000, dlsr_us: 5_000 }),
    );
    status = subject.status();
    assert.equal(status.rttMs, 15);
    assert.equal(status.lossPct, 50);

    feed('{"type":"media","event":"unprepared"}');
    status = subject.status();
    assert.deepEqual(
      [status.viewers, status.fps, status.sentKbps, status.latencyMs],
      [0, undefined, undefined, undefined],
    );

    const frames = records.filter((r) => r.type === 'frame');
    assert.equal(frames.length, 50);
    assert.deepEqual(frames[1], {
      type: 'frame',
      stream: 'video2',
      t_ms: 1042,
      latency_ms: 2,
      interval_ms: 40,
      jitter_ms: 0,
      frames_total: 2,
      file_ms: 40,
      bytes: 1250,
      key: false,
    });
    const summary = subject.summary();
    assert.equal(summary.frames, 50);
    assert.equal(summary.meanSentKbps, 1000);
    assert.equal(summary.viewers[0]!.rtt.mean, 15);
  });

  it('records a helper that crashed again and again: its crash records, each end in its state record, the ends counted by how they came, the last one shown', () => {
    const { records, subject, feed, at } = recorder();
    const request = {
      serving: false,
      clientId: 3,
      address: '10.0.0.7',
      port: 40312,
      method: 'DESCRIBE',
      url: 'rtsp://h:8555/video2',
    };
    subject.onState({ kind: 'running', sinceMs: 0, pid: 11 });
    feed(
      '{"type":"crash","signal":"SIGABRT","serving":false,"client_id":3,"address":"10.0.0.7","port":40312,"method":"DESCRIBE","url":"rtsp://h:8555/video2"}',
    );
    at(1000);
    subject.onState({
      kind: 'restarting',
      retryAtMs: 1500,
      exit: 'SIGABRT',
      lastExit: 'was killed by SIGABRT',
      request,
      fatalMessage: 'ERROR:a.c:1:f: no',
    });
    subject.onState({ kind: 'starting', attempt: 2 });
    subject.onState({ kind: 'running', sinceMs: 1600, pid: 12 });
    at(2000);
    subject.onState({
      kind: 'failing',
      retryAtMs: 3000,
      failures: 9,
      exit: 'SIGKILL',
      lastExit: 'was killed by SIGKILL',
      reason: 'watchdog: no heartbeat for 5 s',
    });
    assert.deepEqual(
      records.find((r) => r.type === 'crash'),
      {
        type: 'crash',
        stream: 'video2',
        t_ms: 0,
        signal: 'SIGABRT',
        serving: false,
        client_id: 3,
        address: '10.0.0.7',
        port: 40312,
        method: 'DESCRIBE',
        url: 'rtsp://h:8555/video2',
      },
    );
    const states = records.filter((r) => r.type === 'state');
    assert.deepEqual(states[1], {
      type: 'state',
      stream: 'video2',
      t_ms: 1000,
      state: 'restarting',
      retry_at_ms: 1500,
      exit: 'SIGABRT',
      last_exit: 'was killed by SIGABRT',
      fatal_message: 'ERROR:a.c:1:f: no',
      request: {
        serving: false,
        client_id: 3,
        address: '10.0.0.7',
        port: 40312,
        method: 'DESCRIBE',
        url: 'rtsp://h:8555/video2',
      },
    });
    assert.deepEqual(states.at(-1), {
      type: 'state',
      stream: 'video2',
      t_ms: 2000,
      state: 'failing',
      retry_at_ms: 3000,
      failures: 9,
      exit: 'SIGKILL',
      last_exit: 'was killed by SIGKILL',
      reason: 'watchdog: no heartbeat for 5 s',
    });
    const status = subject.status();
    assert.deepEqual(
      [status.state, status.helperExitCount, status.lastExit],
      [
        'failing',
        2,
        { tMs: 2000, exit: 'SIGKILL', lastExit: 'was killed by SIGKILL', reason: 'watchdog: no heartbeat for 5 s' },
      ],
    );
    assert.deepEqual([subject.live().helperExits, subject.summary().restarts], [{ SIGABRT: 1, SIGKILL: 1 }, 2]);
    subject.onState({
      kind: 'failed',
      reason: '8 failures in a row without ever getting ready',
      exit: 'code_4',
      lastExit: 'exited with code 4',
    });
    assert.deepEqual(
      [subject.summary().helperExits, subject.summary().restarts],
      [{ SIGABRT: 1, SIGKILL: 1, code_4: 1 }, 2],
      'given up: an end, not a restart',
    );
  });

  it('counts bad lines without throwing, and reports the first one only', () => {
    const { records, subject, feed } = recorder();
    assert.equal(subject.onBadLine({ ok: false, kind: 'not_json', detail: 'x', line: '{"type":"fr' }), true);
    feed('{"type":"frame","out_us":"soon"}');
    feed('{"type":"wormhole"}');
    assert.equal(subject.summary().badRecords, 3);
    assert.deepEqual(
      records.filter((r) => r.type === 'bad_record').map((r) => r.kind),
      ['not_json', 'bad_field', 'unknown_type'],
    );
  });

  it("records TWCC feedback once a second per viewer, names each viewer's signal, and counts the feedback it corrected or dropped", () => {
    const { records, subject, feed, at } = recorder();
    subject.onState({ kind: 'running', sinceMs: 0, pid: 1 });
    feed('{"type":"client","event":"playing","client_id":1,"address":"127.0.0.1","transport":"udp"}');
    // live555's first report: lost -1 and 255/256 on a clean link.
    feed(rtcp(1000, { packets_lost: -1, fraction_lost: 255 / 256, highest_seq: 49, sent_packets: 50 }));
    for (let i = 0; i <= 40; i += 1) {
      const tUs = 1_000_000 + i * 33_333;
      feed(
        JSON.stringify({
          type: 'twcc',
          t_us: tUs + 2_000,
          ssrc: 7,
          client_id: 1,
          transport: 'udp',
          feedback_count: i,
          packets: 4,
          lost: i === 5 ? 1 : 0,
          unknown: 0,
          sent_bytes: 4800,
          received_bytes: 3600,
          send_us: [tUs],
          arrival_us: [tUs + 700 + (i === 20 ? 30_000 : 0)],
          group_bytes: [3600],
        }),
      );
    }
    at(2400);
    assert.deepEqual(subject.status().signals, ['twcc']);
    assert.deepEqual(
      records.filter((r) => r.type === 'feedback_issue').map((r) => r.reason),
      ['lost_negative', 'fraction_contradicts'],
    );
    const [second] = records.filter((r) => r.type === 'twcc');
    assert.deepEqual(second, {
      type: 'twcc',
      stream: 'video2',
      t_ms: 1002,
      viewer: 'client:1',
      feedbacks: 31,
      packets: 124,
      lost: 1,
      received_kbps: 892.8,
      queue_mean_ms: 0.97,
      queue_max_ms: 30,
    });
    const rtcpRecord = records.find((r) => r.type === 'rtcp')!;
    assert.equal(rtcpRecord.fraction_lost, 0, 'the corrected fraction, not the 99.6 % it claimed');
    at(5000);
    assert.deepEqual(subject.status().signals, ['rr'], 'a second without TWCC: its reports are what is left');
    const summary = subject.summary();
    assert.deepEqual(summary.feedbackIssues, { lost_negative: 1, fraction_contradicts: 1 });
    assert.equal(summary.viewers[0]!.signalLabel, 'twcc', 'over the run: the richest signal it gave');
  });

  it("forgets a departed viewer's figures and a silent viewer's stale ones: unknown, never the last value", () => {
    const { subject, feed, at } = recorder();
    subject.onState({ kind: 'running', sinceMs: 0, pid: 1 });
    feed('{"type":"client","event":"playing","client_id":1,"address":"127.0.0.1","transport":"udp"}');
    feed(rtcp(1000, { lsr: 77, sr_age_us: 20_000, dlsr_us: 3_000, fraction_lost: 0.1 }));
    at(1000);
    assert.deepEqual([subject.status().rttMs, subject.status().lossPct], [17, 10]);
    at(16_100);
    const stale = subject.status();
    assert.deepEqual([stale.viewers, stale.rttMs, stale.lossPct, stale.silentViewers], [1, undefined, undefined, 1]);
    assert.equal(subject.live().viewerList[0]!.rttMs, undefined);
    feed(rtcp(16_200, { lsr: 77, sr_age_us: 20_000, dlsr_us: 3_000 }));
    at(16_200);
    assert.equal(subject.status().rttMs, 17, 'a new report is known again');
    feed('{"type":"client","event":"teardown","client_id":1}');
    const left = subject.status();
    assert.deepEqual([left.viewers, left.rttMs, left.lossPct], [0, undefined, undefined]);
  });

  it('shows the bitrate sent as unknown until a stats record says it, never 0 beside a frame rate', () => {
    const { subject, feed } = recorder();
    subject.onState({ kind: 'running', sinceMs: 0, pid: 1 });
    feed('{"type":"client","event":"playing","client_id":1,"transport":"udp"}');
    for (let i = 0; i < 40; i += 1)
      feed(JSON.stringify({ type: 'frame', pts_us: i * 33_333, out_us: 1_000_000 + i * 33_333, bytes: 2000 }));
    const early = subject.status();
    assert.ok(early.fps !== undefined && early.fps > 0, `fps ${early.fps}`);
    assert.equal(early.sentKbps, undefined);
    feed('{"type":"stats","t_us":1000000,"packets_sent":0,"bytes_sent":0}');
    feed('{"type":"stats","t_us":2000000,"packets_sent":100,"bytes_sent":60000}');
    assert.equal(subject.status().sentKbps, 480);
  });

  it('shows a playing viewer without reports as silent, never as a perfect link', () => {
    const { subject, feed } = recorder();
    subject.onState({ kind: 'running', sinceMs: 0, pid: 1 });
    feed('{"type":"client","event":"playing","client_id":4,"transport":"tcp"}');
    const status = subject.status();
    assert.equal(status.rttMs, undefined);
    assert.equal(status.lossPct, undefined);
    assert.equal(status.silentViewers, 1);
  });

  it("shows a dynamic mount's target, not the encoder's setting above it", () => {
    const { subject, feed } = recorder();
    assert.deepEqual(subject.status().targetsKbps, [2000], 'the start bitrate');
    subject.onControl(
      { tMs: 1000, targetKbps: 1500, previousKbps: 2000, reason: 'delay', viewer: 'client:1', signalFrom: 'client:1' },
      0,
    );
    feed('{"type":"bitrate","bitrate_kbps":1650,"requested_kbps":1650}');
    assert.deepEqual(subject.status().targetsKbps, [1500]);
  });

  it('keeps each encoder of a mount with per-viewer encoders apart: targets, viewers, what each sent', () => {
    const { subject, feed } = recorder();
    for (const encoder of [1, 2]) {
      feed(`{"type":"media","event":"prepared","encoder":${encoder},"width":640,"height":480,"fps":30}`);
      feed(
        `{"type":"client","event":"playing","client_id":${encoder},"address":"10.0.0.${encoder}","transport":"udp","encoder":${encoder}}`,
      );
      feed(`{"type":"stats","t_us":1000000,"encoder":${encoder},"packets_sent":0,"bytes_sent":0}`);
      feed(`{"type":"stats","t_us":2000000,"encoder":${encoder},"packets_sent":100,"bytes_sent":${encoder * 100_000}}`);
    }
    subject.onControl(
      { tMs: 1000, targetKbps: 600, previousKbps: 2000, reason: 'delay', viewer: 'client:1', signalFrom: 'client:1' },
      1,
    );
    subject.onControl(
      { tMs: 1000, targetKbps: 2400, previousKbps: 2000, reason: 'probe', viewer: 'client:2', signalFrom: 'client:2' },
      2,
    );
    const live = subject.live();
    assert.deepEqual(live.targetsKbps, [600, 2400]);
    assert.equal(live.sentKbps, 2400, 'both encoders: 800 + 1600 kbit/s');
    assert.deepEqual(
      live.viewerList.map((viewer) => [viewer.encoder, viewer.targetKbps, viewer.sentKbps]),
      [
        [1, 600, 800],
        [2, 2400, 1600],
      ],
    );
    feed('{"type":"media","event":"unprepared","encoder":1}');
    assert.deepEqual(
      subject.live().viewerList.map((viewer) => viewer.encoder),
      [2],
      "the first encoder's viewer went with it",
    );
    assert.deepEqual(subject.status().targetsKbps, [2400]);
  });

  it('lives: lists the viewers playing now, with where they play from before any feedback, the encoder setting and the frames sent', () => {
    const { subject, feed } = recorder();
    subject.onState({ kind: 'running', sinceMs: 0, pid: 1 });
    feed('{"type":"client","event":"playing","client_id":1,"address":"10.0.0.9","transport":"udp"}');
    feed('{"type":"client","event":"playing","client_id":2,"address":"10.0.0.8","transport":"tcp"}');
    feed('{"type":"queue","client_id":2,"unsent_bytes":512}');
    feed('{"type":"bitrate","encoder":1,"bitrate_kbps":1650,"requested_kbps":1650}');
    for (let i = 0; i < 3; i += 1)
      feed(
        JSON.stringify({
          type: 'frame',
          pts_us: i * 40_000,
          in_us: 1_000_000 + i * 40_000,
          out_us: 1_002_000 + i * 40_000,
          bytes: 900,
        }),
      );
    let live = subject.live();
    assert.deepEqual(live.appliedKbps, [1650]);
    assert.equal(live.framesTotal, 3);
    assert.deepEqual(
      live.viewerList.map((viewer) => [
        viewer.key,
        viewer.address,
        viewer.transport,
        viewer.signalLabel,
        viewer.unsentBytes,
      ]),
      [
        ['client:1', '10.0.0.9', 'udp', 'none', undefined],
        ['client:2', '10.0.0.8', 'tcp', 'tcp-queue', 512],
      ],
    );
    feed('{"type":"client","event":"teardown","client_id":1}');
    live = subject.live();
    assert.deepEqual(
      live.viewerList.map((viewer) => viewer.key),
      ['client:2'],
      'a viewer that left is not listed',
    );
  });
});
