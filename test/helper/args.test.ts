import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { helperArgs, helperSourceEnv, helperIceEnv } from '../../src/helper/args.ts';
import { helpersOf, planStreams } from '../../src/streams/plan.ts';

const [helper] = helpersOf(
  planStreams(
    [{ name: undefined, file: 'a.mp4' }],
    [{ picture: { width: 640, height: 480, fps: 30 }, audio: undefined }],
    {
      firstHelperPort: 8555,
      staticBitrateKbps: 5000,
      startBitrateKbps: 800,
      picture: { size: undefined, maxSize: { width: 1280, height: 720 }, fps: 0 },
      audio: true,
    },
  ),
);
const limits = { sessionTimeoutS: 60, maxViewers: 20, maxViewersPerAddress: 10, idleTimeoutS: 30, maxConnections: 256 };
const dynamic = { transport: 'auto', encoders: 8 } as const;
const format = { fps: 0, encoderPreset: 'veryfast' } as const;
const live = { lingerS: 10, alwaysOn: false };
const webrtc = { ports: undefined, connectTimeoutS: 30, rtx: true };

/** The value that follows `option` on a command line, undefined when the option is absent. */
const valueOf = (args: string[], option: string): string | undefined =>
  args.includes(option) ? args[args.indexOf(option) + 1] : undefined;

describe('helperArgs', () => {
  it("serves a video's static and dynamic mounts from one helper, on its port", () => {
    const args = helperArgs(helper!, '127.0.0.1', format, limits, dynamic, live, webrtc);
    assert.deepEqual([valueOf(args, '--file'), valueOf(args, '--port')], ['a.mp4', '8555']);
    assert.deepEqual([valueOf(args, '--mount'), valueOf(args, '--bitrate')], ['/video1', '5000']);
    assert.deepEqual([valueOf(args, '--adaptive-mount'), valueOf(args, '--adaptive-bitrate')], ['/video2', '800']);
    assert.deepEqual([valueOf(args, '--transport-policy'), valueOf(args, '--encoders')], ['auto', '8']);
  });

  it('gives WebRTC its port range, connect timeout and RTX, and STUN/TURN servers only in the environment', () => {
    const args = helperArgs(helper!, '127.0.0.1', format, limits, dynamic, live, {
      ports: { min: 40000, max: 40099 },
      connectTimeoutS: 12,
      rtx: false,
    });
    assert.deepEqual(
      [valueOf(args, '--webrtc-ports'), valueOf(args, '--webrtc-connect-timeout')],
      ['40000-40099', '12'],
    );
    assert.ok(args.includes('--no-webrtc-rtx'));
    assert.ok(!helperArgs(helper!, '127.0.0.1', format, limits, dynamic, live, webrtc).includes('--no-webrtc-rtx'));
    assert.deepEqual(helperIceEnv(['stun://s:3478', 'turn://u:p@t:3478']), {
      RTSP_HELPER_ICE_SERVERS: 'stun://s:3478 turn://u:p@t:3478',
    });
  });

  it('passes the encoder preset as --encoder-preset NAME', () => {
    const args = helperArgs(helper!, '127.0.0.1', format, limits, dynamic, live, webrtc);
    assert.equal(valueOf(args, '--encoder-preset'), 'veryfast');
  });

  it('gives a live source --live and its linger, and its URI only in the environment', () => {
    const camera = { ...helper!, file: 'rtsp://cam:***@10.0.0.9/live', uri: 'rtsp://cam:secret@10.0.0.9/live' };
    const args = helperArgs(camera, '127.0.0.1', format, limits, dynamic, { lingerS: 3, alwaysOn: true }, webrtc);
    assert.ok(args.includes('--live') && args.includes('--always-on') && !args.includes('--file'));
    assert.equal(valueOf(args, '--linger'), '3');
    assert.ok(!args.join(' ').includes('secret'), 'no secret on a command line');
    assert.deepEqual(helperSourceEnv(camera), { RTSP_HELPER_URI: 'rtsp://cam:secret@10.0.0.9/live' });
    assert.deepEqual(helperSourceEnv(helper!), {});
  });
});
