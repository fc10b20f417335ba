import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HelperCommand } from '../../src/helper/commands.ts';
import { WhepGateway, type WhepResult } from '../../src/whep/whep-gateway.ts';

/** A gateway over one helper, `h1`, serving video1 and video2; what it was sent. */
function gateway(options: { running?: boolean; answerTimeoutMs?: number; maxPending?: number } = {}) {
  const sent: HelperCommand[] = [];
  const whep = new WhepGateway(
    (stream) =>
      ['video1', 'video2'].includes(stream)
        ? {
            helper: 'h1',
            mount: `/${stream}`,
            send: (command) => {
              sent.push(command);
              return options.running ?? true;
            },
          }
        : undefined,
    { answerTimeoutMs: options.answerTimeoutMs ?? 1_000, maxPending: options.maxPending ?? 4 },
  );
  const lastSession = () => {
    const offer = [...sent].reverse().find((command) => command.name === 'whep-offer');
    return offer?.name === 'whep-offer' ? offer.session : '';
  };
  return { whep, sent, lastSession };
}

describe('WhepGateway', () => {
  it("sends the offer to the stream's helper under a random token and answers with the helper's SDP", async () => {
    const { whep, sent, lastSession } = gateway();
    const result = whep.offer('video2', 'v=0 offer', '10.0.0.7', 'Firefox');
    const session = lastSession();
    assert.match(session, /^[A-Za-z0-9_-]{22}$/);
    assert.deepEqual(sent[0], {
      name: 'whep-offer',
      session,
      mount: '/video2',
      address: '10.0.0.7',
      sdp: 'v=0 offer',
      userAgent: 'Firefox',
    });
    whep.onReply('h1', { type: 'whep', event: 'answer', session, clientId: 3, sdp: 'v=0 answer' });
    assert.deepEqual(await result, { status: 201, sdp: 'v=0 answer', session });
    assert.equal(whep.sessions, 1);
  });

  it("gives the helper's refusal its status; unknown streams 404, a stopped helper 503", async () => {
    const { whep, lastSession } = gateway();
    const refused = whep.offer('video1', 'x', 'a', undefined);
    whep.onReply('h1', {
      type: 'whep',
      event: 'refused',
      session: lastSession(),
      status: 406,
      reason: 'no_h264',
      message: 'no H.264',
    });
    assert.deepEqual(await refused, { status: 406, message: 'no H.264', retryAfterS: undefined });
    assert.equal((await whep.offer('video9', 'x', 'a', undefined)).status, 404);
    const stopped = gateway({ running: false });
    assert.equal((await stopped.whep.offer('video1', 'x', 'a', undefined)).status, 503);
  });

  it('ends a session only by its token and on its own stream, and forgets it once its viewer left', async () => {
    const { whep, sent, lastSession } = gateway();
    const result = whep.offer('video2', 'x', 'a', undefined);
    const session = lastSession();
    whep.onReply('h1', { type: 'whep', event: 'answer', session, clientId: 5, sdp: 's' });
    await result;
    assert.equal(whep.end('video1', session), false, "another stream's");
    assert.equal(whep.end('video2', 'guessed'), false);
    whep.onViewerLeft('h1', 5);
    assert.equal(whep.end('video2', session), false, 'its viewer left');
    assert.ok(!sent.some((command) => command.name === 'whep-close'));

    const again = whep.offer('video2', 'x', 'a', undefined);
    const second = lastSession();
    whep.onReply('h1', { type: 'whep', event: 'answer', session: second, clientId: 6, sdp: 's' });
    await again;
    assert.equal(whep.end('video2', second), true);
    assert.deepEqual(sent.at(-1), { name: 'whep-close', session: second });
  });

  it('answers 504 when the helper is silent, and ends the session of an answer that came too late', async () => {
    const { whep, sent, lastSession } = gateway({ answerTimeoutMs: 20 });
    const result: WhepResult = await whep.offer('video2', 'x', 'a', undefined);
    assert.equal(result.status, 504);
    const session = lastSession();
    whep.onReply('h1', { type: 'whep', event: 'answer', session, clientId: 1, sdp: 's' });
    assert.deepEqual(sent.at(-1), { name: 'whep-close', session });
    assert.equal(whep.sessions, 0);
  });

  it('refuses past maxPending offers at once (503), and fails those waiting when the helper stops', async () => {
    const { whep } = gateway({ maxPending: 2 });
    const waiting = [whep.offer('video1', 'x', 'a', undefined), whep.offer('video2', 'x', 'a', undefined)];
    assert.equal((await whep.offer('video1', 'x', 'a', undefined)).status, 503);
    whep.onHelperGone('h1');
    assert.deepEqual(
      (await Promise.all(waiting)).map((result) => result.status),
      [503, 503],
    );
  });
});
