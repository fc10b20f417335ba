// results.json (the documented shape, for scripts comparing runs) and the printed table.
import { alignColumns } from '../../src/ui/columns.ts';
import type { VariantFigures } from './analysis.ts';
import type { BrowserFigures } from './browser-figures.ts';
import type { ProbeResult } from '../../src/report/probe-results.ts';
import type { ViewerFigures } from './viewer-figures.ts';
import type { BenchSource, Transport } from './options.ts';
import type { ClientKind } from './probes/client.ts';
import type { CapacityStep } from './schedule.ts';

export interface VariantResult extends VariantFigures, ViewerFigures {
  name: string;
  mode: 'static' | 'dynamic';
  /** The transport the pass asked the client for, the client, and the transport the server gave its viewer. */
  transport: Transport;
  client: ClientKind;
  viewer_transport: string | null;
  static_kbps?: number;
  /** A browser viewer's own figures (getStats). */
  browser?: BrowserFigures;
  /** Figure (a key above) -> why the viewer cannot give it. */
  not_measured?: Record<string, string>;
}

export interface BenchResults {
  id: string;
  started_at: string;
  schedule: { t_s: number; kbps: number }[];
  duration_s: number;
  transports: Transport[];
  clients: ClientKind[];
  dynamic_transport: string;
  video: string;
  /** `rtsp`: the servers pulled the video from a camera; `file`: they read it. */
  source: BenchSource;
  queue_ms: number;
  variants: VariantResult[];
}

export function scheduleJson(schedule: readonly CapacityStep[]): { t_s: number; kbps: number }[] {
  return schedule.map((step) => ({ t_s: step.tS, kbps: step.kbps }));
}

/** A variant's viewer, as the server run's report shows it. */
export function probeResultOf(variant: VariantResult, mount: string): ProbeResult {
  return {
    name: variant.name,
    mount,
    client: variant.client,
    transport: variant.viewer_transport,
    frames_decoded: variant.frames_decoded,
    frames_unique_pct: variant.frames_unique_pct,
    e2e_delay_p50_ms: variant.e2e_delay_p50_ms,
    e2e_delay_p95_ms: variant.e2e_delay_p95_ms,
    stall_count: variant.stall_count,
    stall_s: variant.stall_s,
    ssim_mean: variant.ssim_mean,
    psnr_mean_db: variant.psnr_mean_db,
  };
}

const fixed = (value: number | null, digits: number): string => (value === null ? '-' : value.toFixed(digits));

export function resultsTable(variants: readonly VariantResult[]): string[] {
  const header = [
    'transport',
    'variant',
    'client',
    'path',
    'frames sent',
    'decoded %',
    'loss %',
    'RTT p50 ms',
    'RTT p95 ms',
    'throughput kbit/s',
    'capacity kbit/s',
    'utilisation %',
    'settle s',
    'unique %',
    'e2e p95 ms',
    'stall s',
    'SSIM',
  ];
  const rows = variants.map((v) => [
    v.transport,
    v.name,
    v.client,
    v.viewer_transport ?? '-',
    String(v.frames_sent),
    fixed(v.decoded_pct, 1),
    fixed(v.loss_pct, 2),
    fixed(v.rtt_p50_ms, 1),
    fixed(v.rtt_p95_ms, 1),
    fixed(v.throughput_kbps, 0),
    fixed(v.capacity_kbps, 0),
    fixed(v.utilisation * 100, 1),
    v.settle_s.map((s) => (s === null ? 'never' : s.toFixed(1))).join(' ') || '-',
    fixed(v.frames_unique_pct, 1),
    fixed(v.e2e_delay_p95_ms, 0),
    v.stall_s.toFixed(1),
    fixed(v.ssim_mean, 3),
  ]);
  return alignColumns([header, ...rows]);
}

/** What the browser viewers saw (getStats), beside the table above; none without one. */
export function browserTable(variants: readonly VariantResult[]): string[] {
  const rows = variants.flatMap((v) => {
    const browser = v.browser;
    if (browser === undefined) return [];
    return [
      [
        v.transport,
        v.name,
        String(v.frames_decoded),
        browser.width === null ? '-' : `${browser.width}x${browser.height}`,
        `${v.stall_count} (${v.stall_s.toFixed(1)})`,
        fixed(browser.jitter_buffer_ms, 1),
        String(browser.packets_lost),
        `${fixed(browser.ice_rtt_p50_ms, 0)} / ${fixed(browser.ice_rtt_p95_ms, 0)}`,
        fixed(browser.first_frame_ms, 0),
      ],
    ];
  });
  if (rows.length === 0) return [];
  const header = [
    'transport',
    'variant',
    'frames decoded',
    'size',
    'freezes (s)',
    'jitter buffer ms',
    'packets lost',
    'ICE RTT p50 / p95 ms',
    'first frame ms',
  ];
  return alignColumns([header, ...rows]);
}

/** Each figure a client kind cannot give, once per kind. */
export function notMeasuredLines(variants: readonly VariantResult[]): string[] {
  const byClient = new Map(variants.flatMap((v) => (v.not_measured ? [[v.client, v.not_measured] as const] : [])));
  return [...byClient].flatMap(([client, reasons]) =>
    Object.entries(reasons).map(([key, reason]) => `not measured (${client}): ${key}: ${reason}`),
  );
}
