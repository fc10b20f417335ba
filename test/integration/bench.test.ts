// A short real bench (30 s, one capacity drop, UDP, an rtspsrc viewer): the dynamic mount settles
// within 2 s of the drop and beats static 5000 kbit/s on loss and on frames decoded, results.json
// has the documented shape, and nothing is left.
// run-tests: alone (a dynamic mount settling within 2 s of a drop, with three encoders and three decoders of its own: two encoding test files at once starve two cores).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { runBench } from '../../scripts/bench/run.ts';
import { parseSchedule } from '../../scripts/bench/schedule.ts';

const isRoot = process.getuid?.() === 0;
// Not the bench's default 'abrb' + u/t: a bench run beside the suite must not look like our leftovers.
const PREFIX = 'abrtst';

const VARIANT_KEYS = ['name', 'mode', 'transport', 'client', 'viewer_transport', 'frames_sent', 'frames_decoded', 'decoded_pct', 'loss_pct', 'rtt_p50_ms', 'rtt_p95_ms',
  'throughput_kbps', 'capacity_kbps', 'utilisation', 'settle_s', 'timeline'];

describe('bench', () => {
  it('dynamic settles within 2 s of a 2500 → 600 kbit/s drop and beats static 5000 on loss and frames decoded', { skip: !isRoot && 'needs root for network namespaces', timeout: 180_000 }, async (t) => {
    const out = mkdtempSync(join(tmpdir(), 'bench-test-'));
    const run = await runBench({
      schedule: parseSchedule('0:2500,12:600'), durationS: 30, video: 'videos/sample-snow.mp4', transports: ['udp'], clients: ['rtspsrc'],
      dynamicTransport: 'auto', outDir: out,
      prefix: PREFIX, basePort: 19100, log: (line) => t.diagnostic(line),
    });
    const results = JSON.parse(readFileSync(run.resultsPath, 'utf8')) as typeof run.results;
    assert.deepEqual(results.schedule, [{ t_s: 0, kbps: 2500 }, { t_s: 12, kbps: 600 }]);
    assert.equal(results.duration_s, 30);
    assert.deepEqual(results.variants.map((v) => `${v.transport} ${v.name} ${v.mode} ${v.client} ${v.viewer_transport}`), [
      'udp static 5000 static rtspsrc udp', 'udp static 1000 static rtspsrc udp', 'udp dynamic rtspsrc dynamic rtspsrc udp',
    ]);
    for (const variant of results.variants) {
      for (const key of VARIANT_KEYS) assert.ok(key in variant, `${variant.name} lacks ${key}`);
      assert.equal(variant.settle_s.length, 1);
      assert.ok(variant.utilisation >= 0 && variant.utilisation <= 1.1, `${variant.name} utilisation ${variant.utilisation}`);
      assert.equal(variant.timeline.length, 60);
      assert.deepEqual(Object.keys(variant.timeline[0]!).filter((key) => ['t_s', 'capacity_kbps', 'delivered_kbps', 'rtt_ms', 'loss_pct', 'frames_decoded_cum'].includes(key)).length, 6);
    }
    const [static5000, , dynamic] = results.variants;
    t.diagnostic(`loss % static 5000 ${static5000!.loss_pct}, dynamic ${dynamic!.loss_pct}; frames decoded ${static5000!.frames_decoded} vs ${dynamic!.frames_decoded}; dynamic settled after ${dynamic!.settle_s[0]} s`);
    assert.ok(dynamic!.settle_s[0] !== null && dynamic!.settle_s[0]! <= 2, `the dynamic mount settled ${dynamic!.settle_s[0]} s after the drop`);
    assert.ok(dynamic!.loss_pct! < static5000!.loss_pct!, `loss: dynamic ${dynamic!.loss_pct} % vs static 5000 ${static5000!.loss_pct} %`);
    assert.ok(dynamic!.frames_decoded > static5000!.frames_decoded, `frames decoded: dynamic ${dynamic!.frames_decoded} vs static 5000 ${static5000!.frames_decoded}`);

    const namespaces = (await execa('ip', ['netns', 'list'])).stdout;
    assert.ok(!namespaces.includes(`${PREFIX}`), `namespaces left: ${namespaces}`);
  });
});
