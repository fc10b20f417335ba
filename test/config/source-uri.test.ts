import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maskUri, redactor, uriProblem } from '../../src/config/source-uri.ts';
import { videoInputs } from '../../src/config/video-inputs.ts';

describe('live source URIs', () => {
  it('masks the password and secret parameters, and nothing else', () => {
    assert.equal(maskUri('rtsp://cam:p%40ss@10.0.0.9:554/live'), 'rtsp://cam:***@10.0.0.9:554/live');
    assert.equal(
      maskUri('srt://1.2.3.4:9000?mode=caller&passphrase=longsecret1'),
      'srt://1.2.3.4:9000?mode=caller&passphrase=***',
    );
    assert.equal(maskUri('rtsp://10.0.0.9/live'), 'rtsp://10.0.0.9/live');
  });

  it('redacts the secret wherever a helper line holds it, encoded or not', () => {
    const redact = redactor('rtsp://cam:p%40ss@10.0.0.9/live');
    assert.equal(
      redact('GST: could not connect to rtsp://cam:p%40ss@10.0.0.9/live (p@ss)'),
      'GST: could not connect to rtsp://cam:***@10.0.0.9/live (***)',
    );
    assert.equal(redactor(undefined)('as it is'), 'as it is');
  });

  it('says why a URI cannot be pulled', () => {
    assert.equal(uriProblem('rtsp://10.0.0.9/live'), undefined);
    assert.equal(uriProblem('udp://0.0.0.0:5000'), undefined);
    assert.match(uriProblem('udp://@:5000') ?? '', /udp:\/\/0\.0\.0\.0:PORT/);
    assert.match(uriProblem('ftp://h/x') ?? '', /scheme ftp:\/\/ is not one the server pulls/);
    assert.match(uriProblem('udp://239.0.0.1') ?? '', /needs a port/);
    assert.match(uriProblem('srt://h') ?? '', /needs a port/);
  });

  it('takes URIs in --videos, named or not, a file:// URI as a file; a bad one is a usage error that hides the password', () => {
    assert.deepEqual(videoInputs(['gate=rtsp://u:pw@h/cam', 'file:///v/a.mp4'], '/home'), [
      { name: 'gate', file: 'rtsp://u:***@h/cam', uri: 'rtsp://u:pw@h/cam' },
      { name: undefined, file: '/v/a.mp4' },
    ]);
    assert.throws(() => videoInputs(['ftp://u:pw@h/cam'], '/home'), {
      name: 'UsageError',
      message: /--videos ftp:\/\/u:\*\*\*@h\/cam: the scheme ftp:\/\//,
    });
  });
});
