import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatCommand } from '../../src/helper/commands.ts';

describe('formatCommand', () => {
  it('sends a WHEP offer and its user agent in base64, one line whatever they hold', () => {
    const line = formatCommand({
      name: 'whep-offer',
      session: 'Ab_-1',
      mount: '/video2',
      address: '::ffff:127.0.0.1',
      sdp: 'v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n',
      userAgent: 'Mozilla/5.0 (X11)',
    });
    const [name, session, mount, address, sdp, agent] = line.trimEnd().split(' ');
    assert.deepEqual([name, session, mount, address], ['whep-offer', 'Ab_-1', '/video2', '::ffff:127.0.0.1']);
    assert.equal(Buffer.from(sdp!, 'base64').toString(), 'v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n');
    assert.equal(Buffer.from(agent!, 'base64').toString(), 'Mozilla/5.0 (X11)');
    assert.equal(line.split('\n').length, 2);
    assert.equal(formatCommand({ name: 'whep-close', session: 'Ab_-1' }), 'whep-close Ab_-1\n');
  });

  it('refuses a token the helper would not take, and a mount or address with a space', () => {
    assert.throws(() => formatCommand({ name: 'whep-close', session: 'a b' }), RangeError);
    assert.throws(() => formatCommand({ name: 'whep-close', session: 'x'.repeat(65) }), RangeError);
    const offer = { name: 'whep-offer', session: 's', mount: '/v', address: 'a', sdp: '' } as const;
    assert.throws(() => formatCommand({ ...offer, mount: 'v' }), RangeError);
    assert.throws(() => formatCommand({ ...offer, address: 'a b' }), RangeError);
  });
});
