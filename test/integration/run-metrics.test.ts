// A run's metrics on disk: header first, per-frame figures as they happen, a summary at the end,
// and the frames the server says it sent agree with the frames a real client decoded, over the
// stretch of stream the client decoded (test/support/sent-frames.ts): not over the wall-clock time
// it played, which a loaded machine stretches at both ends.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeClip } from '../support/clips.ts';
import { readMetrics, readMetricsWhen, recordsOf, type MetricRecord } from '../support/metrics-file.ts';
import { countFramesWithFfmpeg } from '../support/rtsp-clients.ts';
import { startServer } from '../../scripts/lib/server.ts';
import { METRICS_VERSION } from '../../src/serve/run-metrics.ts';
import { portsOf } from '../support/ports.ts';
import {
  assertPlayedStretch,
  delivery,
  describeDelivery,
  playingClients,
  sentToViewer,
} from '../support/sent-frames.ts';

const PORT = portsOf(import.meta.url).at(0);

describe('run metrics', () => {
  it('records what one viewer got: frames agree with the client within 2%, summary and header are complete', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'run-metrics-'));
    const clip = join(dir, 'ball.mp4');
    await makeClip({ path: clip, seconds: 4, pattern: 'ball', width: 640, height: 480, fps: 30 });
    const out = join(dir, 'out');
    const server = startServer(['--videos', clip, '--port', String(PORT), '--out', out, '--quiet']);
    await server.waitForOutput(/RTSP server ready/, 60_000);
    const client = await countFramesWithFfmpeg({
      url: `rtsp://127.0.0.1:${PORT}/video2`,
      transport: 'tcp',
      seconds: 10,
    });
    // Stopped once the server has the viewer's leaving (flushed every second): no fixed wait.
    const viewerLeft = (records: MetricRecord[]) =>
      recordsOf(records, 'client', 'video2').some((r) => r.event === 'teardown' || r.event === 'closed');
    await readMetricsWhen(realpathSync(join(out, 'latest')), viewerLeft, 5_000);
    server.process.kill('SIGTERM');
    assert.equal((await server.process).exitCode, 0, server.output());
    assert.equal(client.exitCode, 0, client.stderr);

    const runDir = realpathSync(join(out, 'latest'));
    const records = readMetrics(runDir);
    assert.equal(records[0]!.type, 'header');
    assert.equal(records[0]!.version, METRICS_VERSION);
    assert.equal(records.at(-1)!.type, 'end');

    const frames = recordsOf(records, 'frame', 'video2');
    const clients = playingClients(records, 'video2');
    assert.equal(clients.length, 1, JSON.stringify(recordsOf(records, 'client', 'video2')));
    const got = delivery(sentToViewer(records, 'video2', clients[0]!), client);
    assertPlayedStretch(got, 'the client', 10);
    // Both ways: metrics that counted a frame twice, or missed some, would not agree.
    assert.ok(Math.abs(got.sent - got.decoded) <= got.decoded * 0.02 + 1, describeDelivery('the client', got));
    assert.ok(frames.every((r) => typeof r.latency_ms === 'number' && r.latency_ms >= 0 && r.latency_ms < 100));
    assert.equal(recordsOf(records, 'frame', 'video1').length, 0, 'a mount without viewers sends nothing');

    const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8'));
    const video2 = summary.streams.find((s: { stream: string }) => s.stream === 'video2');
    assert.equal(video2.frames, frames.length);
    assert.ok(video2.latency_ms.p95 >= video2.latency_ms.p50);
    assert.ok(video2.mean_sent_kbps > 100, JSON.stringify(video2));
  });
});
