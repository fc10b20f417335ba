// Two real rtspsrc viewers of one dynamic mount (npm start in a namespace, the stamped clip)
// through links of their own, 3000 and 600 kbit/s: each gets an encoder of its own, and the
// encoders' bitrates part ways with the paths; nothing is left behind. The links, not the CPU,
// part the bitrates: this file runs beside another one.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { runViewersBench } from '../../scripts/bench/viewers.ts';
import { ensureStampedSample } from '../../src/stamp/stamped-sample.ts';
import { REPO_ROOT } from '../../scripts/lib/server.ts';

const isRoot = process.getuid?.() === 0;
const PREFIX = 'abrvt';

describe('viewers of one dynamic mount', () => {
  it('two viewers on 3000 and 600 kbit/s links get two encoders whose bitrates follow their own paths', { skip: !isRoot && 'needs root for network namespaces', timeout: 120_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'viewers-test-'));
    const video = await ensureStampedSample(join(REPO_ROOT, 'videos'), () => undefined);
    const run = await runViewersBench({
      video, durationS: 16, settleS: 6, linksKbps: [3000, 600], queueMs: 300, encoders: 8, modes: ['per-viewer'], outDir: out, prefix: PREFIX, basePort: 19380, log: () => undefined,
    });
    const [fast, slow] = run.results.modes[0]!.viewers;
    const figures = JSON.stringify(run.results.modes[0]);
    assert.ok(fast!.encoder !== null && slow!.encoder !== null && fast!.encoder !== slow!.encoder, `one encoder each: ${figures}`);
    assert.ok(fast!.encoder_kbps! > 1.5 * slow!.encoder_kbps!, `the 3000 kbit/s viewer's encoder runs well above the 600 kbit/s one's: ${figures}`);
    assert.ok(slow!.encoder_kbps! < 600, `the 600 kbit/s viewer's encoder stays under its link: ${figures}`);
    assert.ok(fast!.frames_decoded_pct > 80 && slow!.frames_decoded_pct > 80, `both play: ${figures}`);
    assert.deepEqual(Object.keys(JSON.parse(readFileSync(run.resultsPath, 'utf8')) as object), ['date', 'video', 'duration_s', 'settle_s', 'queue_ms', 'modes']);
    const namespaces = await execa('ip', ['netns', 'list']);
    assert.doesNotMatch(namespaces.stdout, new RegExp(`^${PREFIX}`, 'm'), 'no namespace left');
  });
});
