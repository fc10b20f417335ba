import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StreamJson, ViewerJson } from '../../src/http/api-json.ts';
import { DashboardHistory, HISTORY_WINDOW_S } from '../../src/http/dashboard-history.ts';
import { dashboardPoints } from '../../src/http/dashboard-points.ts';

const viewer = (overrides: Partial<ViewerJson>): ViewerJson => ({
  id: 'client:1',
  client: 'GStreamer/1.22.0',
  address: '127.0.0.1',
  transport: 'udp',
  signal: 'twcc',
  reports: 10,
  rtt_ms: 2.5,
  jitter_ms: 1,
  loss_pct: 0,
  packets_lost: 0,
  unsent_bytes: null,
  encoder: 1,
  target_kbps: 900,
  sent_kbps: 850.5,
  ...overrides,
});

const stream = (overrides: Partial<StreamJson>): StreamJson =>
  ({
    name: 'video2',
    mode: 'dynamic',
    viewers: 0,
    fps: null,
    viewer_list: [],
    ...overrides,
  }) as StreamJson;

describe('dashboardPoints', () => {
  it("draws each encoder's target and what it sent, each viewer's RTT and loss, each mount's frame rate", () => {
    const points = dashboardPoints({
      t_s: 12,
      streams: [
        stream({
          viewers: 3,
          fps: 30,
          viewer_list: [
            viewer({}),
            viewer({ id: 'client:2', encoder: 2, target_kbps: 2400, sent_kbps: 2301, rtt_ms: null, loss_pct: null }),
            viewer({ id: 'client:3', encoder: 2, target_kbps: 2400, sent_kbps: 2301 }),
          ],
        }),
        stream({ name: 'video1', mode: 'static', viewers: 1, fps: 29.5, viewer_list: [viewer({ encoder: null })] }),
      ],
    });
    assert.deepEqual(points.bitrate, [
      { t: 12, line: 'video2 #1', series: 'target', kbps: 900 },
      { t: 12, line: 'video2 #1', series: 'sent', kbps: 850.5 },
      { t: 12, line: 'video2 #2', series: 'target', kbps: 2400 },
      { t: 12, line: 'video2 #2', series: 'sent', kbps: 2301 },
    ]);
    assert.deepEqual(
      points.rtt.map((row) => row.viewer),
      ['video2 client:1', 'video2 client:3', 'video1 client:1'],
      'an unknown RTT is no point',
    );
    assert.deepEqual(points.frames, [
      { t: 12, stream: 'video2', fps: 30 },
      { t: 12, stream: 'video1', fps: 29.5 },
    ]);
  });

  it('a mount without viewers is a gap (null), never 0, and draws no bitrate line', () => {
    const points = dashboardPoints({ t_s: 3, streams: [stream({ viewers: 0, fps: 12 })] });
    assert.deepEqual(points.frames, [{ t: 3, stream: 'video2', fps: null }]);
    assert.deepEqual(points.bitrate, []);
  });
});

describe('DashboardHistory', () => {
  it('keeps the last five minutes of rows', () => {
    const history = new DashboardHistory();
    for (let t = 0; t <= 400; t += 1)
      history.add({ bitrate: [], rtt: [], loss: [], frames: [{ t, stream: 'video1', fps: 30 }] }, t);
    const frames = history.rows().frames!;
    assert.equal(frames[0]!.t, 400 - HISTORY_WINDOW_S);
    assert.equal(frames.at(-1)!.t, 400);
  });
});
