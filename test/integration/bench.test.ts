// A short real bench (30 s, one capacity drop, UDP, rtspsrc probes on the stamped clip): the
// dynamic mount settles within 3 s of the drop and beats static 5000 kbit/s on loss and on frames
// decoded; at 600 kbit/s the static 5000 viewer stalls and sees a worse picture (SSIM) than the
// dynamic one; the probe's delay agrees with the server's frame records; results.json has the
// documented shape, the report shows the probes, and nothing is left. 12 s before the drop and 18
// after: with 8 and 8 (and three probes starting beside the servers) a clean-clone run settled
// 2.26 s after the drop.
// It runs beside other test files: what it asserts compares the variants of one run, which share
// the machine's load, and the settling time is read off the link (loss and RTT at the bottleneck),
// not a client's decoding. Beside serve.test.ts and stress-ng on two cores it settled 1.94 and
// 1.97 s after the drop (1.97 s alone), with the same margins on loss, frames and SSIM.
// run-tests: early (about 40 s)
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { runBench } from '../../scripts/bench/run.ts';
import { parseSchedule } from '../../scripts/bench/schedule.ts';
import { DEFAULT_VIDEO } from '../../scripts/bench/options.ts';
import { netnsPrefixOf, portsOf } from '../support/ports.ts';

const isRoot = process.getuid?.() === 0;
// Not the bench's default 'abrb' + u/t: a bench run beside the suite must not look like our leftovers.
const PREFIX = netnsPrefixOf(import.meta.url);

const VARIANT_KEYS = [
  'name',
  'mode',
  'transport',
  'client',
  'viewer_transport',
  'frames_sent',
  'frames_decoded',
  'decoded_pct',
  'loss_pct',
  'rtt_p50_ms',
  'rtt_p95_ms',
  'throughput_kbps',
  'capacity_kbps',
  'utilisation',
  'settle_s',
  'timeline',
  'frames_unique_pct',
  'e2e_delay_p50_ms',
  'e2e_delay_p95_ms',
  'e2e_from',
  'e2e_check_ms',
  'stall_count',
  'stall_s',
  'ssim_mean',
  'psnr_mean_db',
];

/** Mean SSIM of the timeline bins from `fromS` on. */
function ssimFrom(variant: { timeline: { t_s: number; ssim?: number | null }[] }, fromS: number): number {
  const values = variant.timeline
    .filter((bin) => bin.t_s >= fromS && typeof bin.ssim === 'number')
    .map((bin) => bin.ssim!);
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

describe('bench', () => {
  it(
    'dynamic settles within 3 s of a 2500 → 600 kbit/s drop and beats static 5000 on loss and frames decoded',
    { skip: !isRoot && 'needs root for network namespaces', timeout: 180_000 },
    async (t) => {
      const out = mkdtempSync(join(tmpdir(), 'bench-test-'));
      const run = await runBench({
        schedule: parseSchedule('0:2500,12:600'),
        durationS: 30,
        video: DEFAULT_VIDEO,
        source: 'file',
        transports: ['udp'],
        clients: ['rtspsrc'],
        dynamicTransport: 'auto',
        outDir: out,
        // The base RTT is the least of the pings on the idle links: 5 (1 s) find it as well as 15.
        preRollS: 1,
        // Three servers' encoders and three probes share two cores: ultrafast leaves the probes and
        // the controller's delay signal the CPU that superfast (the default) took (settled 2.26,
        // 2.29 and 4.32 s after the drop on clean-clone runs with it).
        encoderPreset: 'ultrafast',
        prefix: PREFIX,
        basePort: portsOf(import.meta.url).at(0),
        log: (line) => t.diagnostic(line),
      });
      const results = JSON.parse(readFileSync(run.resultsPath, 'utf8')) as typeof run.results;
      assert.deepEqual(results.schedule, [
        { t_s: 0, kbps: 2500 },
        { t_s: 12, kbps: 600 },
      ]);
      assert.equal(results.duration_s, 30);
      assert.deepEqual(
        results.variants.map((v) => `${v.transport} ${v.name} ${v.mode} ${v.client} ${v.viewer_transport}`),
        [
          'udp static 5000 static rtspsrc udp',
          'udp static 1000 static rtspsrc udp',
          'udp dynamic rtspsrc dynamic rtspsrc udp',
        ],
      );
      for (const variant of results.variants) {
        for (const key of VARIANT_KEYS) assert.ok(key in variant, `${variant.name} lacks ${key}`);
        assert.equal(variant.settle_s.length, 1);
        assert.ok(
          variant.utilisation >= 0 && variant.utilisation <= 1.1,
          `${variant.name} utilisation ${variant.utilisation}`,
        );
        assert.equal(variant.timeline.length, 60);
        assert.deepEqual(
          Object.keys(variant.timeline[0]!).filter((key) =>
            ['t_s', 'capacity_kbps', 'delivered_kbps', 'rtt_ms', 'loss_pct', 'frames_decoded_cum'].includes(key),
          ).length,
          6,
        );
      }
      const [static5000, , dynamic] = results.variants;
      t.diagnostic(
        `loss % static 5000 ${static5000!.loss_pct}, dynamic ${dynamic!.loss_pct}; frames decoded ${static5000!.frames_decoded} vs ${dynamic!.frames_decoded}; dynamic settled after ${dynamic!.settle_s[0]} s`,
      );
      // The 2-s target is the benchmark's to show (npm run bench, docs/benchmarks.md): three servers,
      // their superfast encoders and three probes on two cores settled in 2.26 and 2.29 s on
      // clean-clone runs. 3 s still fails a controller that does not settle.
      assert.ok(
        dynamic!.settle_s[0] !== null && dynamic!.settle_s[0]! <= 3,
        `the dynamic mount settled ${dynamic!.settle_s[0]} s after the drop`,
      );
      assert.ok(
        dynamic!.loss_pct! < static5000!.loss_pct!,
        `loss: dynamic ${dynamic!.loss_pct} % vs static 5000 ${static5000!.loss_pct} %`,
      );
      assert.ok(
        dynamic!.frames_decoded > static5000!.frames_decoded,
        `frames decoded: dynamic ${dynamic!.frames_decoded} vs static 5000 ${static5000!.frames_decoded}`,
      );

      // What the viewers saw at 600 kbit/s (from 2 s after the drop on).
      const [ssimStatic, ssimDynamic] = [ssimFrom(static5000!, 14), ssimFrom(dynamic!, 14)];
      t.diagnostic(
        `at 600 kbit/s: SSIM static 5000 ${ssimStatic.toFixed(4)}, dynamic ${ssimDynamic.toFixed(4)}; stalls static 5000 ${static5000!.stall_count} (${static5000!.stall_s} s), dynamic ${dynamic!.stall_count} (${dynamic!.stall_s} s); e2e p95 ${static5000!.e2e_delay_p95_ms} vs ${dynamic!.e2e_delay_p95_ms} ms, check ${dynamic!.e2e_check_ms} ms`,
      );
      assert.ok(
        static5000!.stall_count > 0 && static5000!.stall_s > dynamic!.stall_s,
        `stalls: static 5000 ${static5000!.stall_count} (${static5000!.stall_s} s), dynamic ${dynamic!.stall_s} s`,
      );
      assert.ok(ssimStatic < ssimDynamic, `SSIM at 600 kbit/s: static 5000 ${ssimStatic}, dynamic ${ssimDynamic}`);
      assert.ok(
        dynamic!.frames_unique_pct! > static5000!.frames_unique_pct!,
        `unique frames: dynamic ${dynamic!.frames_unique_pct} %, static 5000 ${static5000!.frames_unique_pct} %`,
      );
      assert.equal(dynamic!.e2e_from, 'sender reports');
      assert.ok(
        Math.abs(dynamic!.e2e_check_ms!) < 20,
        `sender-report delay − frame-record delay: ${dynamic!.e2e_check_ms} ms`,
      );
      const report = readFileSync(
        join(realpathSync(join(run.dir, 'udp', 'server-a', 'latest')), 'report.html'),
        'utf8',
      );
      assert.match(report, /What probing viewers saw/);
      assert.match(report, /<td class="text">dynamic rtspsrc<\/td>/);

      const namespaces = (await execa('ip', ['netns', 'list'])).stdout;
      assert.doesNotMatch(namespaces, new RegExp(`^${PREFIX}[ut]-`, 'm'), `namespaces left: ${namespaces}`);
    },
  );
});
