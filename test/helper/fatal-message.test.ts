import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isFatalMessage, lastFatalMessage } from '../../src/helper/fatal-message.ts';

describe('isFatalMessage', () => {
  it('knows GLib assertions, criticals and errors, and glibc heap checks', () => {
    for (const line of [
      "GStreamer-RTSP-Server:ERROR:../gst/rtsp-server/rtsp-client.c:1169:get_data_seq: 'data_seq' should not be NULL",
      'ERROR:../native/source/fan-out.c:40:fan_out_push: code should not be reached',
      "(rtsp-helper:17963): GStreamer-CRITICAL **: 09:44:11.757: gst_parse_launch_full: assertion 'error == NULL || *error == NULL' failed",
      "** (rtsp-helper:123): CRITICAL **: 10:00:00.000: mount_factory_stop: assertion 'factory != NULL' failed",
      '(rtsp-helper:123): GLib-ERROR **: 10:00:00.000: ../glib/gmem.c:136: failed to allocate 4294967296 bytes',
      "Bail out! GStreamer-RTSP-Server:ERROR:../gst/rtsp-server/rtsp-client.c:1169:get_data_seq: 'data_seq' should not be NULL",
      'failed to allocate 65536 bytes',
      'free(): invalid pointer',
      'double free or corruption (out)',
      'corrupted size vs. prev_size',
      '*** stack smashing detected ***: terminated',
    ])
      assert.equal(isFatalMessage(line), true, line);
  });

  it('leaves GStreamer log lines, GLib warnings and other text alone', () => {
    for (const line of [
      '0:00:01.5 9 0x1 ERROR rtspclient rtsp-client.c:10:handle_request: no media',
      '0:00:00.012345678 12345 0x55d5c8a0e0 WARN               filesrc gstfilesrc.c:557:gst_file_src_start:<filesrc0> error: No such file "/x"',
      '(rtsp-helper:123): GLib-GObject-WARNING **: 10:00:00.000: invalid cast from GstBin to GstElement',
      '**',
      '',
      'ERROR: the file is broken',
    ])
      assert.equal(isFatalMessage(line), false, line);
  });
});

describe('lastFatalMessage', () => {
  it('picks the last fatal line of a tail, trimmed, whatever follows it', () => {
    const tail = [
      "(rtsp-helper:9): GStreamer-CRITICAL **: 10:00:00.000: gst_object_unref: assertion 'object != NULL' failed",
      '0:00:02.1 9 0x1 WARN rtspclient rtsp-client.c:10:handle_request: client 0x1 sent a bad request',
      '**',
      "GStreamer-RTSP-Server:ERROR:../gst/rtsp-server/rtsp-client.c:1169:get_data_seq: 'data_seq' should not be NULL  ",
      '0:00:02.2 9 0x2 WARN default fan-out.c:1:push: a frame late',
    ];
    assert.equal(
      lastFatalMessage(tail),
      "GStreamer-RTSP-Server:ERROR:../gst/rtsp-server/rtsp-client.c:1169:get_data_seq: 'data_seq' should not be NULL",
    );
    assert.equal(lastFatalMessage(tail.slice(1, 3)), undefined);
    assert.equal(lastFatalMessage([]), undefined);
  });
});
