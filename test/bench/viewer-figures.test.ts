import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FrameRecord } from '../../src/probe/probe.ts';
import type { SentFrame } from '../../scripts/bench/server-metrics.ts';
import { sentStamps, stampDelaysMs, viewerFigures } from '../../scripts/bench/viewer-figures.ts';

const CLIP = { frames: 10, frameMs: 100 };
/** Three loops of a 10-frame clip from 1000 ms, one frame per 100 ms. */
const sent: SentFrame[] = Array.from({ length: 30 }, (_, i) => ({ atMs: 1000 + i * 100, fileMs: (i % 10) * 100 }));

function decoded(i: number, extra: Partial<FrameRecord> = {}): FrameRecord {
  return {
    type: 'frame',
    decoded_unix_ms: 1000 + i * 100 + 30,
    t_s: 0,
    stamp: i % 10,
    source: i,
    repeated: false,
    ...extra,
  };
}

describe('bench viewer figures', () => {
  it('numbers sent frames by their place in the file', () => {
    assert.deepEqual(sentStamps(sent, CLIP).slice(8, 13), [8, 9, 0, 1, 2]);
    assert.deepEqual(sentStamps([{ atMs: 0, fileMs: 299.9 }, { atMs: 1 }], CLIP), [3, undefined]);
  });

  it("times a stamped picture from the server's record of the same source frame, within the loop it was sent in", () => {
    const frames = [
      decoded(3),
      decoded(13),
      decoded(14, { stamp_inferred: true }),
      { ...decoded(15), stamp: undefined, source: undefined },
    ];
    assert.deepEqual(stampDelaysMs(frames, sent, CLIP), [30, 30, undefined, undefined]);
  });

  it('prefers the sender-report delay and checks it against the frame records; counts stalls, unique frames and quality in the play window', () => {
    const frames = [
      ...Array.from({ length: 12 }, (_, i) => decoded(i, { e2e_ms: 32, ssim: 0.9, psnr_db: 30 })),
      decoded(11, { repeated: true, e2e_ms: 32 }),
      // 600 ms without a new frame after frame 11, then frames 18, 19 (12..17 skipped).
      decoded(18, { decoded_unix_ms: 1000 + 11 * 100 + 30 + 600, e2e_ms: 200, ssim: 0.5, psnr_db: 20 }),
      decoded(19, { e2e_ms: 32, ssim: 0.9, psnr_db: 30 }),
    ];
    const { figures, points } = viewerFigures(frames, sent, CLIP, 1000, 3000);
    assert.equal(figures.e2e_from, 'sender reports');
    assert.equal(figures.e2e_check_ms, 2);
    assert.equal(figures.stall_count, 1);
    assert.equal(figures.stall_s, 0.6);
    assert.equal(
      viewerFigures(frames, sent, CLIP, 1000, 4000).figures.stall_count,
      2,
      'and the gap after the last frame, 1.07 s to the end',
    );
    assert.equal(figures.frames_unique_pct, 70);
    assert.equal(figures.frames_skipped, 6);
    assert.equal(figures.frames_repeated, 1);
    assert.equal(figures.ssim_mean, round4((0.9 * 13 + 0.5) / 14));
    assert.equal(points.length, frames.length);
  });

  it("without sender-report times (FFmpeg), the delay is the frame records'", () => {
    const { figures } = viewerFigures([decoded(1), decoded(2)], sent, CLIP, 1000, 1300);
    assert.equal(figures.e2e_from, 'server frame records');
    assert.equal(figures.e2e_delay_p50_ms, 30);
    assert.equal(figures.e2e_check_ms, null);
  });

  it("with a camera as the source, the delay is from the camera's sends even where sender reports give one", () => {
    const frames = [decoded(1, { e2e_ms: 5 }), decoded(2, { e2e_ms: 5 })];
    const { figures } = viewerFigures(frames, sent, CLIP, 1000, 1300, 'camera');
    assert.equal(figures.e2e_from, 'camera send records');
    assert.equal(figures.e2e_delay_p50_ms, 30);
    assert.equal(figures.e2e_check_ms, -25, 'the sender reports start 25 ms after the camera sent');
  });
});

function round4(value: number): number {
  return Number(value.toFixed(4));
}
