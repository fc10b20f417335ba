import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { streamJson } from '../../src/http/api-json.ts';
import type { StreamLive } from '../../src/metrics/stream-live.ts';

const spec = {
  number: 1,
  name: 'video1',
  mount: '/video1',
  mode: 'static',
  file: '/v/a.mp4',
  helperPort: 8555,
  startBitrateKbps: 5000,
  picture: { width: 640, height: 480, fps: 30 },
  audio: undefined,
  audioText: 'no audio',
  uri: undefined,
} as const;

function live(overrides: Partial<StreamLive>): StreamLive {
  return {
    name: 'video1',
    mode: 'static',
    state: 'running',
    viewers: 0,
    targetsKbps: [5000],
    sentKbps: undefined,
    fps: undefined,
    latencyMs: undefined,
    rttMs: undefined,
    lossPct: undefined,
    silentViewers: 0,
    signals: [],
    appliedKbps: [],
    framesTotal: 0,
    restarts: 0,
    helperExits: {},
    helperExitCount: 0,
    lastExit: undefined,
    source: undefined,
    rejected: {},
    feedbackIssues: {},
    viewerList: [],
    ...overrides,
  };
}

describe('streamJson', () => {
  it("gives a running helper's pid, and no last exit before any", () => {
    const json = streamJson({ spec, url: 'rtsp://h:8554/video1', live: live({}), helperPid: 4242 });
    assert.deepEqual([json.state, json.helper_pid, json.helper_exits, json.last_exit], ['running', 4242, {}, null]);
  });

  it('shows a helper that keeps crashing: failing, its ends by kind, the last with its evidence and its request as the helper wrote it', () => {
    const json = streamJson({
      spec,
      url: 'rtsp://h:8554/video1',
      helperPid: undefined,
      live: live({
        state: 'failing',
        restarts: 20,
        helperExits: { SIGABRT: 20 },
        helperExitCount: 20,
        lastExit: {
          tMs: 41_234,
          exit: 'SIGABRT',
          lastExit: 'was killed by SIGABRT',
          fatalMessage: "GStreamer-RTSP-Server:ERROR:a.c:1:f: 'x' should not be NULL",
          request: {
            serving: true,
            clientId: 9,
            address: '127.0.0.1',
            port: 34070,
            method: 'SETUP',
            url: 'rtsp://127.0.0.1:8555/video1/stream=0',
            transport: 'RTP/AVP;unicast;client_port=40100-40101',
          },
        },
      }),
    });
    assert.deepEqual(
      [json.state, json.helper_pid, json.restarts, json.helper_exits],
      ['failing', null, 20, { SIGABRT: 20 }],
    );
    assert.deepEqual(json.last_exit, {
      t_s: 41.2,
      exit: 'SIGABRT',
      description: 'was killed by SIGABRT',
      reason: null,
      start_error: null,
      fatal_message: "GStreamer-RTSP-Server:ERROR:a.c:1:f: 'x' should not be NULL",
      request: {
        serving: true,
        client_id: 9,
        address: '127.0.0.1',
        port: 34070,
        method: 'SETUP',
        url: 'rtsp://127.0.0.1:8555/video1/stream=0',
        transport: 'RTP/AVP;unicast;client_port=40100-40101',
      },
    });
  });

  it("gives the supervisor's own reason for a kill, and null for a request no crash record named", () => {
    const json = streamJson({
      spec,
      url: 'rtsp://h:8554/video1',
      helperPid: 7,
      live: live({
        helperExits: { SIGKILL: 1 },
        helperExitCount: 1,
        lastExit: {
          tMs: 5_000,
          exit: 'SIGKILL',
          lastExit: 'was killed by SIGKILL',
          reason: 'watchdog: no heartbeat for 5 s',
        },
      }),
    });
    assert.deepEqual(json.last_exit, {
      t_s: 5,
      exit: 'SIGKILL',
      description: 'was killed by SIGKILL',
      reason: 'watchdog: no heartbeat for 5 s',
      start_error: null,
      fatal_message: null,
      request: null,
    });
  });
});
