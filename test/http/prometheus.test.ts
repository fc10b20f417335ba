import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { zeroCounters } from '../../src/front-door/counters.ts';
import type { LiveSource, LiveStream } from '../../src/http/live-source.ts';
import { zeroHttpCounters } from '../../src/http/counters.ts';
import { PrometheusExporter } from '../../src/http/prometheus.ts';
import type { StreamLive } from '../../src/metrics/stream-live.ts';
import type { ViewerSnapshot } from '../../src/metrics/viewer-metrics.ts';
import { parsePrometheusText, sampleOf } from '../support/prometheus-text.ts';

const VIEWER: ViewerSnapshot = {
  key: 'client:3',
  address: '10.0.0.2',
  transport: 'udp',
  reports: 12,
  rttMs: 42,
  jitterMs: 3,
  fractionLost: 0.05,
  packetsLost: 17,
  unsentBytes: undefined,
  signal: 'twcc',
  signalLabel: 'twcc',
  reportCadenceMs: 100,
  reporting: true,
  twccFeedbacks: 300,
};

function live(overrides: Partial<StreamLive> = {}): StreamLive {
  return {
    name: 'video2',
    mode: 'dynamic',
    state: 'running',
    viewers: 1,
    targetsKbps: [1200, 2400],
    sentKbps: 1100.5,
    fps: 30,
    latencyMs: 2.5,
    rttMs: 42,
    lossPct: 5,
    silentViewers: 0,
    signals: ['twcc'],
    appliedKbps: [1500, 2900],
    framesTotal: 900,
    restarts: 2,
    helperExitCount: 0,
    lastExit: undefined,
    source: undefined,
    helperExits: {},
    rejected: { not_found: 3 },
    feedbackIssues: { seq_beyond_sent: 1 },
    viewerList: [{ ...VIEWER, userAgent: 'GStreamer/1.22.0', encoder: 3, targetKbps: 1200, sentKbps: 1150 }],
    ...overrides,
  };
}

function sourceOf(streams: () => LiveStream[]): LiveSource {
  const counters = {
    ...zeroCounters(),
    accepted: 7,
    redirects: 5,
    unauthorized: 14,
    authFailed: 10,
    authThrottled: 3,
    idleTimeouts: 2,
  };
  return { streams, frontDoor: () => counters, elapsedS: () => 12 };
}

const spec = {
  number: 2,
  name: 'video2',
  mount: '/video2',
  mode: 'dynamic',
  file: '/v/a.mp4',
  helperPort: 8556,
  startBitrateKbps: 800,
  picture: { width: 640, height: 480, fps: 30 },
  audio: undefined,
  audioText: 'no audio',
  uri: undefined,
} as const;

describe('PrometheusExporter', () => {
  it('exposes a stream, its viewer, the front door and the helper process in base units', async () => {
    const exporter = new PrometheusExporter(
      sourceOf(() => [{ spec, url: 'rtsp://h/video2', live: live(), helperPid: process.pid }]),
      () => ({ authFailed: 4, authThrottled: 2 }),
    );
    const samples = parsePrometheusText(await exporter.render());
    const stream = { stream: 'video2', mode: 'dynamic' };
    assert.equal(sampleOf(samples, 'abr_stream_frames_total', stream), 900);
    assert.equal(sampleOf(samples, 'abr_stream_sent_bytes_per_second', stream), 137_562.5);
    assert.equal(sampleOf(samples, 'abr_stream_target_bytes_per_second', stream), 150_000);
    assert.equal(sampleOf(samples, 'abr_stream_applied_bytes_per_second', stream), 187_500);
    assert.equal(sampleOf(samples, 'abr_stream_pipeline_latency_seconds', stream), 0.0025);
    assert.equal(sampleOf(samples, 'abr_stream_restarts_total', stream), 2);
    assert.equal(sampleOf(samples, 'abr_stream_state', { ...stream, state: 'running' }), 1);
    assert.equal(sampleOf(samples, 'abr_stream_state', { ...stream, state: 'failed' }), 0);
    assert.equal(sampleOf(samples, 'abr_stream_rejected_total', { stream: 'video2', reason: 'not_found' }), 3);
    assert.equal(
      sampleOf(samples, 'abr_stream_feedback_issues_total', { stream: 'video2', reason: 'seq_beyond_sent' }),
      1,
    );
    const viewer = { stream: 'video2', viewer: 'client:3', transport: 'udp' };
    assert.equal(sampleOf(samples, 'abr_viewer_rtt_seconds', viewer), 0.042);
    assert.equal(sampleOf(samples, 'abr_viewer_jitter_seconds', viewer), 0.003);
    assert.equal(sampleOf(samples, 'abr_viewer_loss_ratio', viewer), 0.05);
    assert.equal(sampleOf(samples, 'abr_viewer_packets_lost', viewer), 17);
    assert.equal(sampleOf(samples, 'abr_viewer_signal_info', { ...viewer, signal: 'twcc' }), 1);
    assert.equal(
      samples.filter((sample) => sample.name === 'abr_viewer_unsent_bytes').length,
      0,
      'a UDP viewer has no send queue',
    );
    assert.equal(sampleOf(samples, 'abr_front_door_connections_total', { outcome: 'accepted' }), 7);
    assert.equal(sampleOf(samples, 'abr_front_door_responses_total', { status: '302' }), 5);
    assert.equal(sampleOf(samples, 'abr_front_door_responses_total', { status: '401' }), 14);
    assert.equal(sampleOf(samples, 'abr_front_door_auth_rejections_total', { reason: 'auth_failed' }), 10);
    assert.equal(sampleOf(samples, 'abr_front_door_auth_rejections_total', { reason: 'auth_throttled' }), 3);
    assert.equal(sampleOf(samples, 'abr_http_auth_rejections_total', { reason: 'auth_failed' }), 4);
    assert.equal(sampleOf(samples, 'abr_http_auth_rejections_total', { reason: 'auth_throttled' }), 2);
    assert.equal(sampleOf(samples, 'abr_front_door_closed_total', { reason: 'idle_timeout' }), 2);
    assert.ok(sampleOf(samples, 'abr_helper_cpu_seconds_total', { stream: 'video2' }) > 0);
    assert.ok(sampleOf(samples, 'abr_helper_resident_memory_bytes', { stream: 'video2' }) > 10 * 1024 * 1024);
    assert.ok(sampleOf(samples, 'process_cpu_seconds_total') > 0);
    assert.ok(sampleOf(samples, 'process_resident_memory_bytes') > 10 * 1024 * 1024);
    assert.ok(Math.abs(sampleOf(samples, 'process_start_time_seconds') - (Date.now() / 1000 - process.uptime())) < 2);
    for (const { name } of samples.filter((sample) => sample.name.startsWith('abr_'))) {
      assert.match(name, /^abr_[a-z_]+$/);
    }
  });

  it('shows a helper that keeps crashing: failing, its ends by how they came, the last one with the method and client address of its request', async () => {
    const crashed = live({
      state: 'failing',
      viewers: 0,
      viewerList: [],
      helperExits: { SIGABRT: 20, SIGKILL: 1 },
      helperExitCount: 21,
      lastExit: {
        tMs: 9000,
        exit: 'SIGABRT',
        lastExit: 'was killed by SIGABRT',
        request: { serving: true, clientId: 4, address: '10.0.0.66', port: 34070, method: 'SETUP' },
      },
    });
    const exporter = new PrometheusExporter(
      sourceOf(() => [{ spec, url: 'rtsp://h/video2', live: crashed, helperPid: undefined }]),
      zeroHttpCounters,
    );
    const samples = parsePrometheusText(await exporter.render());
    const stream = { stream: 'video2', mode: 'dynamic' };
    assert.equal(sampleOf(samples, 'abr_stream_state', { ...stream, state: 'failing' }), 1);
    assert.equal(sampleOf(samples, 'abr_stream_state', { ...stream, state: 'failed' }), 0);
    assert.equal(sampleOf(samples, 'abr_stream_helper_exits_total', { ...stream, exit: 'SIGABRT' }), 20);
    assert.equal(sampleOf(samples, 'abr_stream_helper_exits_total', { ...stream, exit: 'SIGKILL' }), 1);
    assert.equal(
      sampleOf(samples, 'abr_stream_last_helper_exit_info', {
        ...stream,
        exit: 'SIGABRT',
        method: 'SETUP',
        address: '10.0.0.66',
      }),
      1,
    );
    assert.equal(
      samples.filter((sample) => sample.name === 'abr_stream_last_helper_exit_info').length,
      1,
      'one series: the last end only',
    );
  });

  it('forgets a viewer that left and a helper that is gone; figures not known yet are absent, not zero', async () => {
    let current = live();
    let pid: number | undefined = process.pid;
    const exporter = new PrometheusExporter(
      sourceOf(() => [{ spec, url: 'rtsp://h/video2', live: current, helperPid: pid }]),
      zeroHttpCounters,
    );
    assert.equal(
      parsePrometheusText(await exporter.render()).filter((sample) => sample.name === 'abr_viewer_rtt_seconds').length,
      1,
    );
    current = live({
      viewers: 0,
      viewerList: [],
      sentKbps: undefined,
      fps: undefined,
      latencyMs: undefined,
      appliedKbps: [],
    });
    pid = 2 ** 22 + 1; // beyond pid_max: no such process
    const samples = parsePrometheusText(await exporter.render());
    for (const name of [
      'abr_viewer_rtt_seconds',
      'abr_viewer_signal_info',
      'abr_stream_sent_bytes_per_second',
      'abr_stream_frames_per_second',
      'abr_stream_applied_bytes_per_second',
      'abr_helper_cpu_seconds_total',
      'abr_helper_resident_memory_bytes',
    ]) {
      assert.equal(samples.filter((sample) => sample.name === name).length, 0, name);
    }
    assert.equal(sampleOf(samples, 'abr_stream_viewers', { stream: 'video2' }), 0);
  });
});
