import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseGstLogLine } from '../../src/helper/gst-log.ts';

describe('parseGstLogLine', () => {
  it('parses GStreamer debug lines into level, category, source and message', () => {
    assert.deepEqual(
      parseGstLogLine(
        '0:00:00.012345678 12345 0x55d5c8a0e0 WARN               filesrc gstfilesrc.c:557:gst_file_src_start:<filesrc0> error: No such file "/x"',
      ),
      {
        kind: 'gst',
        level: 'WARNING',
        category: 'filesrc',
        source: 'gstfilesrc.c:557:gst_file_src_start:<filesrc0>',
        message: 'error: No such file "/x"',
      },
    );
    assert.deepEqual(parseGstLogLine('0:00:01.5 9 0x1 ERROR rtspclient rtsp-client.c:10:handle_request: no media'), {
      kind: 'gst',
      level: 'ERROR',
      category: 'rtspclient',
      source: 'rtsp-client.c:10:handle_request:',
      message: 'no media',
    });
  });

  it('keeps other lines verbatim', () => {
    assert.deepEqual(parseGstLogLine('(rtsp-helper:1): GLib-CRITICAL **: oops'), {
      kind: 'other',
      text: '(rtsp-helper:1): GLib-CRITICAL **: oops',
    });
    assert.deepEqual(parseGstLogLine('0:00:00.1 1 0x1 LOUD cat f.c:1:f: x'), {
      kind: 'other',
      text: '0:00:00.1 1 0x1 LOUD cat f.c:1:f: x',
    });
  });
});
