import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { execa } from 'execa';
import { startFrontDoor, type FrontDoor } from '../../src/front-door/server.ts';
import { startFakeHelper } from '../front-door/fake-helper.ts';
import { portsOf } from '../support/ports.ts';

const PORTS = portsOf(import.meta.url);
const FRONT_PORT = PORTS.at(0);
const HELPER_PORT = PORTS.at(1);

async function installed(command: string, versionFlag: string): Promise<boolean> {
  const result = await execa(command, [versionFlag], { reject: false });
  return result.exitCode === 0;
}
const skipFfprobe = !(await installed('ffprobe', '-version')) && 'ffprobe is not installed';
const skipGstreamer = !(await installed('gst-launch-1.0', '--version')) && 'GStreamer is not installed';

describe('real RTSP clients follow the redirect', () => {
  let door: FrontDoor;
  let helper: Awaited<ReturnType<typeof startFakeHelper>>;
  before(async () => {
    door = await startFrontDoor({
      host: '127.0.0.1',
      port: FRONT_PORT,
      lookupMount: (name) => (name === 'video1' ? { state: 'up', helperPort: HELPER_PORT } : undefined),
    });
    helper = await startFakeHelper(HELPER_PORT);
  });
  after(async () => {
    await door.close();
    await helper.close();
  });

  const redirected = `DESCRIBE rtsp://127.0.0.1:${HELPER_PORT}/video1 RTSP/1.0`;
  const url = `rtsp://127.0.0.1:${FRONT_PORT}/video1`;

  test('ffprobe (FFmpeg)', { skip: skipFfprobe }, async () => {
    helper.requestLines.length = 0;
    const result = await execa('ffprobe', ['-v', 'error', '-rtsp_transport', 'tcp', url], {
      reject: false,
      timeout: 20_000,
    });
    assert.notEqual(result.exitCode, 0, 'the fake helper answers DESCRIBE with 404');
    assert.equal(result.timedOut, false);
    assert.ok(
      helper.requestLines.includes(redirected),
      `helper saw ${JSON.stringify(helper.requestLines)}; ffprobe said ${result.stderr}`,
    );
  });

  test('gst-launch-1.0 rtspsrc (GStreamer)', { skip: skipGstreamer }, async () => {
    helper.requestLines.length = 0;
    const result = await execa('gst-launch-1.0', ['rtspsrc', `location=${url}`, 'protocols=tcp', '!', 'fakesink'], {
      reject: false,
      timeout: 20_000,
    });
    assert.notEqual(result.exitCode, 0, 'the fake helper answers DESCRIBE with 404');
    assert.equal(result.timedOut, false);
    assert.ok(
      helper.requestLines.includes(redirected),
      `helper saw ${JSON.stringify(helper.requestLines)}; gst said ${result.stdout}${result.stderr}`,
    );
  });
});
