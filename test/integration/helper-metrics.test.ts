// The measurement records of native/rtsp-helper (docs/protocol.md, "Measurements") against
// real RTSP clients on loopback.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa, type ResultPromise } from 'execa';
import { HELPER_BINARY } from '../../src/helper/binary.ts';
import type { HelperEvent } from '../../src/helper/events.ts';
import { makeClip } from '../support/clips.ts';
import {
  countFramesWithFfmpeg,
  playWithGstreamer,
  readHelperRecords,
  type HelperRecords,
} from '../support/rtsp-clients.ts';
import { portsOf } from '../support/ports.ts';

const PORTS = portsOf(import.meta.url);
const MOUNT = '/video1';
const FPS = 30;
const PLAY_S = 10;

interface Helper {
  process: ResultPromise<{ stdin: 'pipe'; reject: false }>;
  records: HelperRecords;
  url: string;
}

let helpersStarted = 0;
const started: Helper[] = [];

async function startHelper(file: string): Promise<Helper> {
  const port = PORTS.at(helpersStarted++ % PORTS.size);
  const child = execa(HELPER_BINARY, ['--file', file, '--mount', MOUNT, '--port', String(port)], {
    stdin: 'pipe',
    reject: false,
  });
  assert.ok(child.stdout, 'the helper has a stdout pipe');
  const helper = { process: child, records: readHelperRecords(child.stdout), url: `rtsp://127.0.0.1:${port}${MOUNT}` };
  started.push(helper);
  await helper.records.waitForRecord('ready');
  return helper;
}

async function quit(helper: Helper): Promise<readonly HelperEvent[]> {
  helper.process.stdin?.write('quit\n');
  const result = await helper.process;
  assert.equal(result.exitCode, 0, result.stderr);
  assert.deepEqual(helper.records.malformed, []);
  return helper.records.records;
}

function ofType<T extends HelperEvent['type']>(
  records: readonly HelperEvent[],
  type: T,
): Array<Extract<HelperEvent, { type: T }>> {
  return records.filter((r): r is Extract<HelperEvent, { type: T }> => r.type === type);
}

function clientEvents(records: readonly HelperEvent[]): string[] {
  return ofType(records, 'client').map((r) => `${r.clientId} ${r.event}${r.transport ? ` ${r.transport}` : ''}`);
}

describe('rtsp-helper measurements', () => {
  const dir = mkdtempSync(join(tmpdir(), 'helper-metrics-'));
  const ball = join(dir, 'ball.mp4');

  before(async () => {
    await execa('make', ['-s', '-C', 'native'], { cwd: new URL('../../', import.meta.url) });
    await makeClip({ path: ball, seconds: 3, pattern: 'ball', width: 640, height: 480, fps: FPS });
  });

  after(() => {
    for (const helper of started) helper.process.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports every frame a viewer decodes, with its encode-to-send latency, and stats every second', async () => {
    const helper = await startHelper(ball);
    const result = await countFramesWithFfmpeg({ url: helper.url, transport: 'udp', seconds: PLAY_S });
    assert.equal(result.exitCode, 0, result.stderr);
    const records = await quit(helper);

    const frames = ofType(records, 'frame');
    for (const frame of frames) {
      assert.ok(
        frame.inUs !== undefined && frame.bytes !== undefined && frame.key !== undefined,
        JSON.stringify(frame),
      );
      assert.ok(frame.inUs <= frame.outUs, JSON.stringify(frame));
      assert.ok(frame.outUs - frame.inUs < 100_000, `latency ${frame.outUs - frame.inUs} µs: ${JSON.stringify(frame)}`);
    }
    assert.equal(frames[0]?.key, true, 'the first frame is a keyframe');
    assert.ok(frames.filter((f) => f.key).length >= 9, 'a keyframe every second');

    // The play window. The media was made for this viewer alone, so the encoder's first frame is
    // the first one it receives (a live appsrc pushes nothing before PLAY). `-t 10` keeps the
    // frames of the first 10 s of stream time from there; ffmpeg then tears down while a few more
    // frames go out. The window is thus the first 10 s of PTS from the first frame sent. PTS, not
    // out_us: the frames queued in the appsrc until PLAY leave in a burst, so out_us only follows
    // the PTS after it. (ffmpeg stamps its first packet before it has an RTCP time mapping, which
    // may shift its window by a frame.)
    const start = frames[0]?.ptsUs ?? 0;
    const inWindow = frames.filter((f) => (f.ptsUs ?? Infinity) - start < PLAY_S * 1e6).length;
    assert.ok(
      Math.abs(inWindow - result.frames) <= 0.02 * result.frames,
      `${inWindow} frames sent in the play window, ${result.frames} decoded (${frames.length} sent in all)`,
    );

    assert.deepEqual(clientEvents(records), ['1 connected', '1 playing udp', '1 teardown udp', '1 closed udp']);

    const stats = ofType(records, 'stats');
    assert.ok(stats.length >= 9, `${stats.length} stats records in 10 s`);
    for (let i = 1; i < stats.length; i++) {
      const [previous, current] = [stats[i - 1], stats[i]];
      assert.ok(previous && current);
      const intervalUs = current.tUs - previous.tUs;
      assert.ok(Math.abs(intervalUs - 1e6) < 100_000, `stats ${intervalUs} µs apart`);
      assert.ok(
        current.bytesSent > previous.bytesSent && current.packetsSent > previous.packetsSent,
        JSON.stringify([previous, current]),
      );
    }
  });

  it("reports a UDP viewer's receiver reports with what to check them against: our SSRC, its first packet, what it was sent, our sender report", async () => {
    const helper = await startHelper(ball);
    // The viewer reports every ~5 s: the play ends at the first report that echoes a sender report.
    const echoed = () => ofType(helper.records.records, 'rtcp').some((r) => r.srAgeUs !== undefined);
    const result = await playWithGstreamer({ url: helper.url, transport: 'udp', seconds: 12, until: echoed });
    assert.equal(result.exitCode, 0, result.stderr);
    const records = await quit(helper);

    const reports = ofType(records, 'rtcp');
    assert.ok(reports.length >= 1, 'at least one receiver report');
    for (const report of reports) {
      assert.deepEqual(
        [report.clientId, report.address, report.transport],
        [1, '127.0.0.1', 'udp'],
        JSON.stringify(report),
      );
      assert.equal(report.fractionLost, 0, JSON.stringify(report));
      assert.equal(report.mediaSsrc, report.senderSsrc, 'about our stream');
      assert.ok(
        report.jitterUs >= 0 && report.firstSeq !== undefined && report.sentPackets !== undefined,
        JSON.stringify(report),
      );
      // The viewer's highest sequence number is one we sent it: within what was sent since its first.
      const index = (report.highestSeq - report.firstSeq + 65_536) % 65_536;
      assert.ok(index < report.sentPackets + 64, JSON.stringify(report));
    }
    const timed = reports.filter((r) => r.srAgeUs !== undefined);
    assert.ok(
      timed.length >= 1,
      `an LSR naming one of our sender reports once the viewer echoed one: ${JSON.stringify(reports.slice(0, 3))}`,
    );
    for (const report of timed) {
      const rttUs = report.srAgeUs! - report.dlsrUs;
      assert.ok(rttUs > -1_000 && rttUs < 20_000, `rtt ${rttUs} µs on loopback`);
    }
  });

  it("reports the unsent bytes of a TCP viewer's connection every 250 ms", async () => {
    const helper = await startHelper(ball);
    const result = await countFramesWithFfmpeg({ url: helper.url, transport: 'tcp', seconds: 3 });
    assert.equal(result.exitCode, 0, result.stderr);
    const records = await quit(helper);

    assert.deepEqual(clientEvents(records), ['1 connected', '1 playing tcp', '1 teardown tcp', '1 closed tcp']);
    const queue = ofType(records, 'queue');
    assert.ok(queue.length >= 8, `${queue.length} queue records in 3 s`);
    for (const record of queue) {
      assert.deepEqual([record.clientId, record.address], [1, '127.0.0.1']);
      assert.ok(Number.isInteger(record.unsentBytes) && record.unsentBytes >= 0, JSON.stringify(record));
    }
    assert.deepEqual(ofType(records, 'rtcp'), [], 'ffmpeg sends no receiver report over TCP');
  });

  it("matches a TCP viewer's receiver reports to its RTSP connection", async () => {
    const helper = await startHelper(ball);
    const reported = () => ofType(helper.records.records, 'rtcp').length >= 1;
    const result = await playWithGstreamer({ url: helper.url, transport: 'tcp', seconds: 8, until: reported });
    assert.equal(result.exitCode, 0, result.stderr);
    const records = await quit(helper);

    const connected = ofType(records, 'client').find((r) => r.event === 'connected');
    const reports = ofType(records, 'rtcp');
    assert.ok(reports.length >= 1, 'at least one receiver report');
    for (const report of reports) {
      assert.deepEqual(
        [report.clientId, report.address, report.transport],
        [1, connected?.address, 'tcp'],
        JSON.stringify(report),
      );
    }
  });
});
