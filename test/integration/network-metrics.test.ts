// The network figures respond to the network: RTT stays low on loopback, and rises with loss
// through a real bottleneck (network namespaces joined by veth, tbf below the stream's bitrate).
import assert from 'node:assert/strict';
import { mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { createLink } from '../../scripts/lib/netns.ts';
import { makeClip } from '../support/clips.ts';
import { readMetrics, recordsOf } from '../support/metrics-file.ts';
import { playWithGstreamer } from '../support/rtsp-clients.ts';
import { REPO_ROOT } from '../support/server.ts';

const isRoot = process.getuid?.() === 0;

async function serveAndPlay(options: { netns?: { server: string; client: string }; host: string; port: number; seconds: number }) {
  const dir = mkdtempSync(join(tmpdir(), 'network-metrics-'));
  const clip = join(dir, 'snow.mp4');
  await makeClip({ path: clip, seconds: 4, pattern: 'snow', width: 640, height: 480, fps: 30 });
  const out = join(dir, 'out');
  const cli = ['node', '--import', 'tsx', 'src/cli.ts', '--videos', clip, '--host', options.host, '--port', String(options.port), '--out', out, '--quiet'];
  const command = options.netns ? ['ip', 'netns', 'exec', options.netns.server, ...cli] : cli;
  const server = execa(command[0]!, command.slice(1), { cwd: REPO_ROOT, reject: false, all: true });
  let output = '';
  server.all?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  while (!output.includes('RTSP server ready')) {
    if (Date.now() > deadline || server.exitCode !== null) throw new Error(`server did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const url = `rtsp://${options.host}:${options.port}/video1`;
  const played = await playWithGstreamer({ url, seconds: options.seconds, transport: 'udp', netns: options.netns?.client });
  server.kill('SIGTERM');
  await server;
  return { played, records: readMetrics(realpathSync(join(out, 'latest'))) };
}

describe('network figures from receiver reports', () => {
  it('RTT stays under 20 ms on loopback, with no loss', async () => {
    const { played, records } = await serveAndPlay({ host: '127.0.0.1', port: 18970, seconds: 12 });
    assert.equal(played.exitCode, 0, played.stderr);
    const reports = recordsOf(records, 'rtcp', 'video1');
    const rtts = reports.flatMap((r) => (typeof r.rtt_ms === 'number' ? [r.rtt_ms] : []));
    assert.ok(rtts.length >= 1, `expected a report with an RTT, got ${JSON.stringify(reports)}`);
    assert.ok(Math.max(...rtts) < 20, `RTTs ${rtts}`);
    assert.ok(reports.every((r) => r.fraction_lost === 0), JSON.stringify(reports));
  });

  it('RTT rises above 100 ms and loss above 0 through a 1 Mbit/s bottleneck under a 5 Mbit/s stream', { skip: !isRoot && 'needs root for network namespaces' }, async (t) => {
    const link = await createLink({ name: 'abrm', subnet: 71, rateKbit: 1000, queueMs: 300 });
    try {
      const { records } = await serveAndPlay({
        netns: { server: link.serverNs, client: link.clientNs }, host: link.serverAddress, port: 18975, seconds: 16,
      });
      const reports = recordsOf(records, 'rtcp', 'video1');
      const rtts = reports.flatMap((r) => (typeof r.rtt_ms === 'number' ? [r.rtt_ms] : []));
      const losses = reports.flatMap((r) => (typeof r.fraction_lost === 'number' ? [r.fraction_lost] : []));
      t.diagnostic(`RTT ms ${rtts.join(' ')}; fraction lost ${losses.join(' ')}`);
      assert.ok(rtts.some((rtt) => rtt > 100), `RTTs ${rtts}`);
      assert.ok(losses.some((loss) => loss > 0), `loss fractions ${losses}`);
    } finally {
      await link.remove();
    }
  });
});
