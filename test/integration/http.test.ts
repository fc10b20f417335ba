// The HTTP side of a real server (npm start's CLI): the JSON API against the stream table,
// /metrics against metrics.ndjson at a quiet moment (and `promtool check metrics` when installed),
// paths outside what it serves, floods of connections and of event streams, and --auth.
import assert from 'node:assert/strict';
import { mkdtempSync, realpathSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { waitFor } from '../../scripts/lib/processes.ts';
import { startServer, type RunningServer } from '../../scripts/lib/server.ts';
import { makeClip } from '../support/clips.ts';
import { closedCount, flood } from '../support/flood.ts';
import { readMetrics, recordsOf } from '../support/metrics-file.ts';
import { parsePrometheusText, sampleOf } from '../support/prometheus-text.ts';
import { countFramesWithFfmpeg } from '../support/rtsp-clients.ts';
import { portsOf } from '../support/ports.ts';

const PORTS = portsOf(import.meta.url);

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request with the path sent exactly as given (no normalisation, unlike fetch). */
function get(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers, agent: false },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** An event stream held open: its status, and the events read so far. */
function openEvents(port: number): Promise<{ status: number; events: () => string; close: () => void }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/api/v1/events', agent: false }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('error', () => {});
      resolve({ status: response.statusCode!, events: () => text, close: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

/** `promtool check metrics` on an exposition; false when promtool is not installed. */
async function lintWithPromtool(exposition: string): Promise<boolean> {
  const promtool = await execa('promtool', ['check', 'metrics'], { input: exposition, reject: false });
  if (promtool.failed && (promtool as { code?: string }).code === 'ENOENT') return false;
  assert.equal(promtool.exitCode, 0, `promtool check metrics:\n${promtool.stdout}${promtool.stderr}`);
  return true;
}

async function clip(dir: string): Promise<string> {
  const path = join(dir, 'ball.mp4');
  await makeClip({ path, seconds: 4, pattern: 'ball', width: 640, height: 480, fps: 30 });
  return path;
}

describe('HTTP side: API, /metrics, bounds', () => {
  const PORT = PORTS.at(0);
  const HTTP = PORTS.at(20);
  let server: RunningServer;
  let out: string;

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'http-'));
    out = join(dir, 'out');
    server = startServer([
      '--videos',
      await clip(dir),
      '--port',
      String(PORT),
      '--http',
      String(HTTP),
      '--out',
      out,
      '--max-connections',
      '40',
    ]);
    await server.waitForOutput(new RegExp(`dashboard on http://127\\.0\\.0\\.1:${HTTP}/ `), 60_000);
  });
  after(async () => {
    server.process.kill('SIGTERM');
    await server.process;
  });

  it('lists the streams as the start-up table does, and a viewer while it plays', { timeout: 60_000 }, async () => {
    const listed = JSON.parse((await get(HTTP, '/api/v1/streams')).body) as {
      t_s: number;
      streams: Array<Record<string, unknown>>;
    };
    assert.ok(listed.t_s > 0);
    for (const stream of listed.streams) {
      // A line of the stream table: mount, mode, URL, file, ...
      const line = new RegExp(
        `^\\s+${String(stream.name)}\\s+${String(stream.mode)}\\s+${String(stream.url).replace(/[.]/g, '\\.')}\\s+${String(stream.file)}\\s`,
        'm',
      );
      assert.match(server.output(), line);
    }
    assert.deepEqual(
      listed.streams.map((stream) => [stream.name, stream.mode, stream.state, stream.viewers]),
      [
        ['video1', 'static', 'running', 0],
        ['video2', 'dynamic', 'running', 0],
      ],
    );
    const playing = countFramesWithFfmpeg({ url: `rtsp://127.0.0.1:${PORT}/video1`, transport: 'tcp', seconds: 5 });
    const during = await waitFor(
      async () => {
        const one = JSON.parse((await get(HTTP, '/api/v1/streams/video1')).body) as Record<string, unknown> & {
          viewer_list: Array<Record<string, unknown>>;
        };
        return one.viewers === 1 && one.viewer_list.length === 1 && Number(one.sent_kbps) > 0 ? one : undefined;
      },
      10_000,
      'video1 listed with its viewer',
    );
    assert.equal(during.viewer_list[0]!.transport, 'tcp');
    assert.equal(during.viewer_list[0]!.signal, 'tcp-queue');
    assert.deepEqual(during.targets_kbps, [5000]);
    const whilePlaying = parsePrometheusText((await get(HTTP, '/metrics')).body);
    assert.equal(
      sampleOf(whilePlaying, 'abr_viewer_signal_info', { stream: 'video1', transport: 'tcp', signal: 'tcp-queue' }),
      1,
    );
    assert.ok(sampleOf(whilePlaying, 'abr_stream_sent_bytes_per_second', { stream: 'video1' }) > 0);
    await lintWithPromtool((await get(HTTP, '/metrics')).body);
    await playing;
    const missing = await get(HTTP, '/api/v1/streams/video9');
    assert.equal(missing.status, 404);
    assert.deepEqual(JSON.parse(missing.body), { error: 'no stream named video9' });
  });

  it(
    '/metrics is valid Prometheus text that agrees with metrics.ndjson once the stream is quiet',
    { timeout: 60_000 },
    async () => {
      // The viewer of the test before has left: the media stops, no frame comes; metrics.ndjson is flushed every second.
      const frames = async () =>
        sampleOf(parsePrometheusText((await get(HTTP, '/metrics')).body), 'abr_stream_frames_total', {
          stream: 'video1',
        });
      await waitFor(
        async () => {
          const first = await frames();
          await sleep(1_500);
          return first > 0 && (await frames()) === first ? true : undefined;
        },
        20_000,
        'video1 quiet, its frames counted',
      );
      const reply = await get(HTTP, '/metrics');
      assert.match(String(reply.headers['content-type']), /^text\/plain; version=0\.0\.4/);
      const samples = parsePrometheusText(reply.body);
      const records = readMetrics(realpathSync(join(out, 'latest')));
      const frameRecords = recordsOf(records, 'frame', 'video1');
      console.log(
        `/metrics: ${samples.length} samples; video1 frames ${sampleOf(samples, 'abr_stream_frames_total', { stream: 'video1' })}, frame records ${frameRecords.length}`,
      );
      assert.equal(sampleOf(samples, 'abr_stream_frames_total', { stream: 'video1' }), frameRecords.length);
      assert.equal(
        sampleOf(samples, 'abr_stream_frames_total', { stream: 'video1' }),
        frameRecords.at(-1)!.frames_total,
      );
      assert.equal(sampleOf(samples, 'abr_stream_viewers', { stream: 'video1' }), 0);
      assert.equal(
        sampleOf(samples, 'abr_stream_restarts_total', { stream: 'video1' }),
        recordsOf(records, 'state', 'video1').filter((record) => record.state === 'restarting').length,
      );
      assert.equal(sampleOf(samples, 'abr_stream_target_bytes_per_second', { stream: 'video1' }), 625_000);
      assert.equal(sampleOf(samples, 'abr_stream_state', { stream: 'video1', state: 'running' }), 1);
      const frontDoor = recordsOf(records, 'front_door').at(-1)!;
      assert.equal(sampleOf(samples, 'abr_front_door_responses_total', { status: '302' }), frontDoor.redirects);
      assert.equal(sampleOf(samples, 'abr_front_door_connections_total', { outcome: 'accepted' }), frontDoor.accepted);
      assert.ok(sampleOf(samples, 'abr_helper_resident_memory_bytes', { stream: 'video1' }) > 1024 * 1024);
      if (!(await lintWithPromtool(reply.body))) console.log('promtool not installed: Prometheus lint skipped');
    },
  );

  it(
    'reaches no file by dot segments or encodings, answers only GET and HEAD, and keeps serving after a flood',
    { timeout: 60_000 },
    async () => {
      for (const path of [
        '/../package.json',
        '/%2e%2e/package.json',
        '/vendor/../../package.json',
        '/vendor/..%2f..%2fpackage.json',
        '//etc/passwd',
        '/web/dashboard.js',
        '/node_modules/vega/package.json',
        '/api/v1/streams/..%2f..%2fpackage.json',
      ]) {
        const reply = await get(HTTP, path);
        assert.equal(reply.status, 404, path);
        assert.doesNotMatch(reply.body, /"name"|root:/, path);
      }
      assert.equal((await get(HTTP, '/metrics', { method: 'POST' })).status, 405);
      assert.equal((await get(HTTP, '/', { method: 'HEAD' })).status, 200);
      const sockets = await flood(HTTP, 60);
      await sleep(500);
      const closed = closedCount(sockets);
      for (const socket of sockets) socket.destroy();
      console.log(`HTTP flood: ${closed} of 60 idle connections closed at once (--max-connections 40)`);
      assert.ok(closed >= 20, `${closed} closed`);
      await sleep(200);
      assert.equal((await get(HTTP, '/api/v1/streams')).status, 200);
    },
  );

  it(
    'bounds the event streams: past 32 a new one gets 503, the open ones keep their events',
    { timeout: 60_000 },
    async () => {
      const streams = [];
      for (let i = 0; i < 36; i += 1) streams.push(await openEvents(HTTP));
      try {
        const statuses = streams.map((stream) => stream.status);
        assert.equal(statuses.filter((status) => status === 200).length, 32, statuses.join(','));
        assert.equal(statuses.filter((status) => status === 503).length, 4);
        await sleep(2_200);
        const first = streams[0]!.events();
        assert.ok((first.match(/^event: streams$/gm) ?? []).length >= 3, first.slice(0, 200));
        assert.equal((await get(HTTP, '/api/v1/streams')).status, 200);
      } finally {
        for (const stream of streams) stream.close();
      }
      await sleep(300);
      const again = await openEvents(HTTP);
      again.close();
      assert.equal(again.status, 200, 'closed event streams free their places');
    },
  );
});

describe('HTTP side with --auth', () => {
  const PORT = PORTS.at(30);
  const HTTP = PORTS.at(50);
  let server: RunningServer;

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'http-auth-'));
    server = startServer([
      '--videos',
      await clip(dir),
      '--port',
      String(PORT),
      '--http',
      String(HTTP),
      '--out',
      join(dir, 'out'),
      '--auth',
      'viewer:s3cret',
      '--auth-basic',
    ]);
    await server.waitForOutput(/dashboard on http/, 60_000);
  });
  after(async () => {
    server.process.kill('SIGTERM');
    await server.process;
  });

  it(
    'asks every path for the RTSP credentials: Digest (curl --digest) or, with --auth-basic, Basic (as Prometheus sends them)',
    { timeout: 30_000 },
    async () => {
      for (const path of ['/', '/metrics', '/api/v1/streams', '/api/v1/events', '/vendor/vega.min.js', '/nothing']) {
        const reply = await get(HTTP, path);
        assert.equal(reply.status, 401, path);
        assert.match(String(reply.headers['www-authenticate']), /Digest realm=.*nonce=/);
      }
      const wrong = await get(HTTP, '/metrics', {
        headers: { Authorization: `Basic ${Buffer.from('viewer:wrong').toString('base64')}` },
      });
      assert.equal(wrong.status, 401);
      const basic = await get(HTTP, '/metrics', {
        headers: { Authorization: `Basic ${Buffer.from('viewer:s3cret').toString('base64')}` },
      });
      assert.equal(basic.status, 200);
      assert.match(basic.body, /abr_stream_frames_total/);
      const digest = await execa(
        'curl',
        [
          '-s',
          '-o',
          '/dev/null',
          '-w',
          '%{http_code}',
          '--digest',
          '-u',
          'viewer:s3cret',
          `http://127.0.0.1:${HTTP}/api/v1/streams`,
        ],
        { reject: false },
      );
      assert.equal(digest.stdout, '200');
      const digestWrong = await execa(
        'curl',
        [
          '-s',
          '-o',
          '/dev/null',
          '-w',
          '%{http_code}',
          '--digest',
          '-u',
          'viewer:nope',
          `http://127.0.0.1:${HTTP}/api/v1/streams`,
        ],
        { reject: false },
      );
      assert.equal(digestWrong.stdout, '401');
      assert.doesNotMatch(server.output(), /s3cret/);
    },
  );
});
