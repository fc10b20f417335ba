// A helper's memory under churn, told apart: a leak grows the heap in use, the allocator only the
// resident size. Viewers come and go (each with an encoder, a media and its threads of its own)
// beside two steady ones; after each round the helper hands freed memory back (`memory`) and
// reports its heap in use and resident size. Both must stay flat from the second round on: an
// 8-minute soak once saw 177 -> 214 MB, which was glibc's per-thread arenas keeping what the
// medias' threads freed (docs/benchmarks.md, "Helper memory under churn").
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { RtspChurn } from '../../scripts/lib/rtsp-churn.ts';
import { makeClip } from '../support/clips.ts';
import { HelperLauncher, quitHelper, type Helper } from '../support/helper-launcher.ts';
import { countFramesWithFfmpeg } from '../support/rtsp-clients.ts';
import { portsOf } from '../support/ports.ts';

const helpers = new HelperLauncher(portsOf(import.meta.url).range(0, 10));
/** Viewers a round, one every 100 ms, each playing about a second. */
const ROUND_VIEWERS = 80;
const ROUNDS = 3;
/** A viewer that leaks 13 KiB grows the heap by this much over two rounds. */
const HEAP_SLACK_BYTES = 2 * 1024 * 1024;
/** With an arena per thread, two rounds grew the resident size by 10 MB with the same heap in use. */
const RSS_SLACK_KIB = 6 * 1024;

interface Memory {
  heapInUseBytes: number;
  rssKiB: number;
}

async function memory(helper: Helper): Promise<Memory> {
  const from = helper.records.count();
  helper.send('memory');
  return helper.records.waitForRecord('memory', { from });
}

describe('helper memory under churn', () => {
  const dir = mkdtempSync(join(tmpdir(), 'helper-memory-'));
  const clip = join(dir, 'ball.mp4');

  before(() => makeClip({ path: clip, seconds: 3, pattern: 'ball', width: 320, height: 240, fps: 30 }));
  after(() => {
    helpers.killAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`${ROUNDS} rounds of ${ROUND_VIEWERS} viewers coming and going (an encoder each): heap in use and resident size flat after the first`, async () => {
    const helper = await helpers.start(clip, [
      '--adaptive-mount',
      '/video2',
      '--adaptive',
      '--encoders',
      '8',
      '--max-viewers',
      '100',
      '--max-viewers-per-address',
      '100',
    ]);
    const steady = [
      countFramesWithFfmpeg({ url: helper.url, transport: 'tcp', seconds: 40, decode: false }),
      countFramesWithFfmpeg({
        url: helper.url.replace('video1', 'video2'),
        transport: 'tcp',
        seconds: 40,
        decode: false,
      }),
    ];
    const churns = [
      new RtspChurn(helper.port, 'video1', { viaFrontDoor: false }),
      new RtspChurn(helper.port, 'video2', { viaFrontDoor: false }),
    ];
    const rounds: Memory[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const plays: Promise<void>[] = [];
      for (let i = 0; i < ROUND_VIEWERS; i += 1) {
        // Half leave with TEARDOWN, half drop their connection.
        plays.push(churns[i % 2]!.play(i % 4 < 2));
        await sleep(100);
      }
      await Promise.all(plays);
      await sleep(2_000);
      rounds.push(await memory(helper));
    }
    const played = churns.reduce((sum, churn) => sum + churn.counts.played, 0);
    assert.equal(
      played,
      ROUNDS * ROUND_VIEWERS,
      `viewers that played: ${JSON.stringify(churns.map((churn) => churn.counts))}`,
    );
    const [first, , last] = rounds;
    const described = rounds
      .map((m) => `heap ${(m.heapInUseBytes / 2 ** 20).toFixed(1)} MiB, RSS ${(m.rssKiB / 1024).toFixed(1)} MiB`)
      .join('; ');
    process.stdout.write(`helper memory after each round: ${described}\n`);
    assert.ok(last!.heapInUseBytes <= first!.heapInUseBytes + HEAP_SLACK_BYTES, `the heap in use grew: ${described}`);
    assert.ok(last!.rssKiB <= first!.rssKiB + RSS_SLACK_KIB, `the resident size grew: ${described}`);
    for (const viewer of await Promise.all(steady)) assert.ok(viewer.frames > 0);
    await quitHelper(helper);
  });
});
