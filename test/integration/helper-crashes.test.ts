// Issue 21, a client that crashes a helper each time it comes back: the real CLI (--quiet,
// --restart-max-delay 1) and its real helper, aborted with SIGABRT 20 times, each time it runs
// again, just after a request. The mount is never given up, passes through `failing`, plays again
// after the last crash, and every crash is on the console, in metrics.ndjson, the JSON API and
// /metrics with the client of the request. A helper that can never get ready is still given up.
// Each crash waits (up to 15 s) for the helper to be back, and the viewer after the last one is
// judged against what the server sent it (test/support/sent-frames.ts): nothing here is timed
// tighter than a loaded machine allows.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { waitFor } from '../../scripts/lib/processes.ts';
import { startServer, type RunningServer } from '../../scripts/lib/server.ts';
import { makeClip } from '../support/clips.ts';
import { readMetricsWhen, recordsOf, type MetricRecord } from '../support/metrics-file.ts';
import { parsePrometheusText, sampleOf } from '../support/prometheus-text.ts';
import { requestOnce, RawRtsp } from '../support/raw-rtsp.ts';
import { countFramesWithFfmpeg } from '../support/rtsp-clients.ts';
import { portsOf } from '../support/ports.ts';
import { assertDelivered, metricsMark, viewerDelivery } from '../support/sent-frames.ts';

const PORTS = portsOf(import.meta.url);
const CRASHES = 20;

interface StreamJson {
  state: string;
  helper_pid: number | null;
  restarts: number;
  helper_exits: Record<string, number>;
  last_exit: null | {
    exit: string;
    start_error: string | null;
    request: null | { serving: boolean; address?: string; port?: number; method?: string };
  };
}

async function streamOf(http: number, name: string): Promise<StreamJson> {
  const response = await fetch(`http://127.0.0.1:${http}/api/v1/streams/${name}`);
  assert.equal(response.status, 200);
  return (await response.json()) as StreamJson;
}

const count = (text: string, pattern: RegExp): number => text.match(new RegExp(pattern.source, 'g'))?.length ?? 0;

describe('a helper crashed again and again (SIGABRT each time it runs again)', () => {
  const PORT = PORTS.at(0);
  const HELPER = PORT + 1;
  const HTTP = PORTS.at(50);
  const dir = mkdtempSync(join(tmpdir(), 'helper-crashes-'));
  let server: RunningServer;

  before(async () => {
    const clip = join(dir, 'a.mp4');
    await makeClip({ path: clip, seconds: 4, pattern: 'ball', width: 320, height: 240, fps: 30 });
    server = startServer([
      '--videos',
      clip,
      '--port',
      String(PORT),
      '--http',
      String(HTTP),
      '--out',
      join(dir, 'out'),
      '--duration',
      '600',
      '--restart-max-delay',
      '1',
      '--quiet',
    ]);
    await server.waitForOutput(/RTSP server ready/, 60_000);
  });

  after(async () => {
    if (server.process.exitCode === null) server.process.kill('SIGKILL');
    await server.process;
  });

  it(
    "is never failed: failing once the crashes repeat, running again after the last one, its frames decode; each crash logged (even with --quiet) and recorded with its request's client",
    { timeout: 180_000 },
    async () => {
      const statesSeen = new Set<string>();
      /** The helper's pid once video1 runs on a helper other than `previous`. */
      const runningAgain = (previous: number | undefined) =>
        waitFor(
          async () => {
            const stream = await streamOf(HTTP, 'video1');
            statesSeen.add(stream.state);
            return stream.state === 'running' && stream.helper_pid !== null && stream.helper_pid !== previous
              ? stream.helper_pid
              : undefined;
          },
          15_000,
          `video1 running on a helper other than ${previous}`,
        );

      /** The local port of each crash's last request: the client the crash record must name. */
      const clientPorts: number[] = [];
      let pid: number | undefined;
      const startedAt = Date.now();
      for (let crash = 1; crash <= CRASHES; crash += 1) {
        pid = await runningAgain(pid);
        const client = await RawRtsp.open(HELPER);
        const reply = await client.request([`OPTIONS rtsp://127.0.0.1:${HELPER}/video1 RTSP/1.0`, 'CSeq: 1']);
        assert.equal(reply.status, 200, `crash ${crash}: the helper answers before it is crashed`);
        clientPorts.push(client.socket.localPort!);
        process.kill(pid, 'SIGABRT');
        client.close();
      }
      pid = await runningAgain(pid);
      const crashedForMs = Date.now() - startedAt;
      const runDir = realpathSync(join(dir, 'out', 'latest'));
      // From here on, the records of the last helper: its clients are counted from 1 again.
      const from = await metricsMark(runDir);
      const played = await countFramesWithFfmpeg({
        url: `rtsp://127.0.0.1:${PORT}/video1`,
        transport: 'tcp',
        frames: 30,
        timeoutS: 15,
      });
      assert.equal(played.exitCode, 0, played.stderr);
      assert.ok(played.frames >= 30, `decoded ${played.frames} frames through the front door after the last crash`);
      assertDelivered(await viewerDelivery(runDir, 'video1', played, from), 'the viewer after the last crash');
      assert.ok(!statesSeen.has('failed'), [...statesSeen].join(' '));

      const crashRecords = (records: MetricRecord[]) => recordsOf(records, 'crash', 'video1');
      const records = await readMetricsWhen(
        runDir,
        (soFar) =>
          crashRecords(soFar).length >= CRASHES && recordsOf(soFar, 'state', 'video1').at(-1)?.state === 'running',
        10_000,
      );
      const crashes = crashRecords(records);
      assert.deepEqual(
        crashes.map(({ signal, method, address }) => [signal, method, address]),
        Array(CRASHES).fill(['SIGABRT', 'OPTIONS', '127.0.0.1']),
      );
      assert.deepEqual(
        crashes.map((record) => record.port),
        clientPorts,
        'each crash record names the client of the request before it',
      );
      const states = recordsOf(records, 'state', 'video1');
      const kinds = states.map((record) => record.state);
      assert.ok(!kinds.includes('failed'), kinds.join(' '));
      assert.equal(kinds.at(-1), 'running');
      const ends = states.filter((record) => record.state === 'restarting' || record.state === 'failing');
      // Waits of 0.5 and 1 s; the 3rd crash came after the longest wait: failing from then on.
      assert.deepEqual(
        ends.map((record) => record.state),
        ['restarting', 'restarting', ...Array(CRASHES - 2).fill('failing')],
      );
      for (const end of ends) {
        assert.equal(end.exit, 'SIGABRT');
        assert.deepEqual(
          [(end.request as MetricRecord)?.method, (end.request as MetricRecord)?.address],
          ['OPTIONS', '127.0.0.1'],
        );
      }

      const stream = await streamOf(HTTP, 'video1');
      assert.deepEqual(
        [stream.state, stream.helper_pid, stream.restarts, stream.helper_exits],
        ['running', pid, CRASHES, { SIGABRT: CRASHES }],
      );
      assert.deepEqual(
        [
          stream.last_exit?.exit,
          stream.last_exit?.request?.method,
          stream.last_exit?.request?.address,
          stream.last_exit?.request?.port,
        ],
        ['SIGABRT', 'OPTIONS', '127.0.0.1', clientPorts.at(-1)],
      );
      const samples = parsePrometheusText(await (await fetch(`http://127.0.0.1:${HTTP}/metrics`)).text());
      assert.equal(sampleOf(samples, 'abr_stream_helper_exits_total', { stream: 'video1', exit: 'SIGABRT' }), CRASHES);
      assert.equal(
        sampleOf(samples, 'abr_stream_last_helper_exit_info', {
          stream: 'video1',
          exit: 'SIGABRT',
          method: 'OPTIONS',
          address: '127.0.0.1',
        }),
        1,
      );
      assert.equal(sampleOf(samples, 'abr_stream_state', { stream: 'video1', state: 'running' }), 1);

      const output = server.output();
      const crashLine = new RegExp(
        `video1\\+video2: helper was killed by SIGABRT after [\\d.]+ s, last request OPTIONS "rtsp://127\\.0\\.0\\.1:${HELPER}/video1" from 127\\.0\\.0\\.1:\\d+; (restarting in|failing \\()`,
      );
      assert.equal(count(output, crashLine), CRASHES, output);
      assert.doesNotMatch(
        output,
        /last log lines/,
        'a crash that names its request is one line: its log is in metrics.ndjson',
      );
      assert.match(
        output,
        /video1\+video2: .*; failing \(3 failures in a row\): it has served, so it is retried every 1 s, never given up/,
      );
      assert.match(
        output,
        new RegExp(`video1\\+video2: helper running again \\(pid ${pid}\\) after ${CRASHES} failures in a row`),
      );
      console.log(
        `${CRASHES} crashes in ${(crashedForMs / 1000).toFixed(1)} s; states seen by the API: ${[...statesSeen].join(', ')}`,
      );
    },
  );
});

describe('a helper that never gets ready (GStreamer without x264)', () => {
  const PORT = PORTS.at(20);
  const HTTP = PORTS.at(70);
  const dir = mkdtempSync(join(tmpdir(), 'helper-never-ready-'));
  let server: RunningServer;

  before(async () => {
    const clip = join(dir, 'a.mp4');
    await makeClip({ path: clip, seconds: 2, pattern: 'ball', width: 320, height: 240, fps: 30 });
    // Every plugin but x264: the probe still decodes the file, the helper lacks its encoder.
    const pluginsDir = (await execa('pkg-config', ['--variable=pluginsdir', 'gstreamer-1.0'])).stdout.trim();
    const plugins = join(dir, 'plugins');
    mkdirSync(plugins);
    for (const name of readdirSync(pluginsDir).filter((file) => file.endsWith('.so') && file !== 'libgstx264.so'))
      symlinkSync(join(pluginsDir, name), join(plugins, name));
    server = startServer(
      [
        '--videos',
        clip,
        '--port',
        String(PORT),
        '--http',
        String(HTTP),
        '--out',
        join(dir, 'out'),
        '--duration',
        '600',
        '--restart-max-delay',
        '1',
        '--quiet',
      ],
      {
        // Its own registry: the machine's cache stays as it is.
        env: { GST_PLUGIN_SYSTEM_PATH_1_0: plugins, GST_REGISTRY_1_0: join(dir, 'registry.bin') },
      },
    );
    await server.waitForOutput(/RTSP server ready/, 60_000);
  });

  after(async () => {
    if (server.process.exitCode === null) server.process.kill('SIGKILL');
    await server.process;
  });

  it('is given up after 0.5 and 1 s waits: failed, with what the helper said, 503 at the front door', async () => {
    const output = server.output();
    assert.match(
      output,
      /video1\+video2: helper exited with code 4 after [\d.]+ s, it said "pipeline: no element \\"x264enc\\"".*; giving up \(3 failures in a row without ever getting ready, the last after a 1 s wait: helper exited with code 4\)/,
    );
    assert.match(output, /video1 .* FAILED: 3 failures in a row/);
    const stream = await streamOf(HTTP, 'video1');
    assert.deepEqual(
      [stream.state, stream.helper_exits, stream.last_exit?.start_error],
      ['failed', { code_4: 3 }, 'pipeline: no element "x264enc"'],
    );
    const answer = await requestOnce(PORT, [`DESCRIBE rtsp://127.0.0.1:${PORT}/video1 RTSP/1.0`, 'CSeq: 1']);
    assert.equal(answer.status, 503);
    const records = await readMetricsWhen(
      realpathSync(join(dir, 'out', 'latest')),
      (soFar) => recordsOf(soFar, 'state', 'video1').at(-1)?.state === 'failed',
      10_000,
    );
    assert.deepEqual(
      recordsOf(records, 'state', 'video1').map((record) => record.state),
      ['starting', 'restarting', 'starting', 'restarting', 'starting', 'failed'],
    );
  });
});
