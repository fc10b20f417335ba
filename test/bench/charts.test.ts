// Chart specs: one colour per series in every chart, units in the axis titles.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { benchChartSpecs, SERIES_COLOURS } from '../../scripts/bench/charts.ts';
import type { BenchResults, VariantResult } from '../../scripts/bench/results.ts';

function variant(name: string, mode: 'static' | 'dynamic'): VariantResult {
  return {
    name,
    mode,
    transport: 'udp',
    client: name.endsWith('ffmpeg') ? 'ffmpeg' : 'rtspsrc',
    viewer_transport: name.endsWith('ffmpeg') ? 'tcp' : 'udp',
    frames_sent: 10,
    frames_decoded: 9,
    decoded_pct: 90,
    loss_pct: 1,
    base_rtt_ms: 0.1,
    rtt_p50_ms: 5,
    rtt_p95_ms: 9,
    throughput_kbps: 900,
    capacity_kbps: 1000,
    utilisation: 0.9,
    settle_s: [],
    drop_applied_s: [],
    frames_unique_pct: 99,
    frames_repeated: 0,
    frames_skipped: 1,
    e2e_delay_p50_ms: 20,
    e2e_delay_p95_ms: 40,
    e2e_from: 'sender reports',
    e2e_check_ms: 2,
    stall_count: 0,
    stall_s: 0,
    ssim_mean: 0.98,
    psnr_mean_db: 38,
    timeline: [
      {
        t_s: 0,
        capacity_kbps: 1000,
        delivered_kbps: 900,
        rtt_ms: 5,
        loss_pct: 0,
        frames_decoded_cum: 9,
        e2e_ms: 21,
        ssim: 0.97,
        ...(mode === 'dynamic' ? { applied_kbps: 2000, target_kbps: 1800 } : {}),
      },
    ],
  };
}

const results: BenchResults = {
  id: 'x',
  started_at: '',
  schedule: [{ t_s: 0, kbps: 1000 }],
  duration_s: 1,
  transports: ['udp'],
  clients: ['rtspsrc', 'ffmpeg'],
  dynamic_transport: 'auto',
  source: 'file',
  video: 'v',
  queue_ms: 300,
  variants: [
    variant('static 5000', 'static'),
    variant('static 1000', 'static'),
    variant('dynamic rtspsrc', 'dynamic'),
    variant('dynamic ffmpeg', 'dynamic'),
  ],
};

describe('bench chart specs', () => {
  const specs = benchChartSpecs(results);

  it('has bitrate, RTT, loss, frames, e2e delay and SSIM charts per transport', () => {
    assert.deepEqual(
      specs.map((s) => s.name),
      ['udp-bitrate', 'udp-rtt', 'udp-loss', 'udp-frames', 'udp-e2e', 'udp-ssim'],
    );
  });

  it('gives each series its own colour, the same everywhere', () => {
    for (const { spec } of specs) {
      const colour = (spec.encoding as { color: { scale: { domain: string[]; range: string[] } } }).color.scale;
      colour.domain.forEach((series, i) =>
        assert.equal(colour.range[i], SERIES_COLOURS[series], `${series} in ${JSON.stringify(spec.title)}`),
      );
    }
    const bitrate = (specs[0]!.spec.encoding as { color: { scale: { domain: string[] } } }).color.scale.domain;
    assert.deepEqual(bitrate, [
      'capacity',
      'static 5000',
      'static 1000',
      'dynamic rtspsrc',
      'dynamic ffmpeg',
      'dynamic rtspsrc target',
      'dynamic ffmpeg target',
    ]);
  });

  it('puts units in the axis titles', () => {
    const titles = specs.map(({ spec }) => (spec.encoding as { y: { title: string } }).y.title);
    assert.deepEqual(titles, [
      'kbit/s',
      'RTT (ms)',
      'packets dropped (%)',
      'frames decoded (cumulative)',
      'server clock → decoded (ms, mean per 0.5 s)',
      'SSIM vs the served clip (mean per 0.5 s)',
    ]);
    for (const { spec } of specs) assert.match((spec.encoding as { x: { title: string } }).x.title, /\(s\)/);
  });

  it('draws the bitrate chart with the report builder: one layer per series with its rows', () => {
    const layers = specs[0]!.spec.layer as { data: { values: { t_s: number; kbps: number; series: string }[] } }[];
    assert.deepEqual(
      layers.map((layer) => layer.data.values),
      [
        [{ t_s: 0, kbps: 1000, series: 'capacity' }],
        [{ t_s: 0, kbps: 900, series: 'static 5000' }],
        [{ t_s: 0, kbps: 900, series: 'static 1000' }],
        [{ t_s: 0, kbps: 900, series: 'dynamic rtspsrc' }],
        [{ t_s: 0, kbps: 900, series: 'dynamic ffmpeg' }],
        [{ t_s: 0, kbps: 1800, series: 'dynamic rtspsrc target' }],
        [{ t_s: 0, kbps: 1800, series: 'dynamic ffmpeg target' }],
      ],
    );
  });
});
