// WHEP (RFC 9725) signalling: a browser's offer goes to the helper of the mount it names, as a
// `whep-offer` command; the helper's `whep` record is the answer (201, with the session's
// Location) or the refusal (its status). Sessions are named by a random token, the only way to
// end one (DELETE): nobody ends another's session by guessing. docs/webrtc.md.
import { randomBytes } from 'node:crypto';
import type { HelperCommand } from '../helper/commands.ts';
import type { WhepReply } from '../helper/events.ts';

/** Where a mount's offers go. */
export interface WhepTarget {
  /** The helper serving it (its replies come back under this name). */
  helper: string;
  mount: string;
  /** False when the helper is not running. */
  send(command: HelperCommand): boolean;
}

export type WhepResult =
  { status: 201; sdp: string; session: string } | { status: number; message: string; retryAfterS?: number };

export interface WhepLimits {
  /** A helper that has not answered by then: 504. */
  answerTimeoutMs: number;
  /** Offers waiting for their helper at once; more get 503. */
  maxPending: number;
}

export const DEFAULT_WHEP_LIMITS: WhepLimits = { answerTimeoutMs: 10_000, maxPending: 32 };

interface Pending {
  helper: string;
  stream: string;
  resolve(result: WhepResult): void;
  timer: NodeJS.Timeout;
}

interface Session {
  helper: string;
  stream: string;
  clientId: number;
}

export class WhepGateway {
  readonly #targetOf: (stream: string) => WhepTarget | undefined;
  readonly #limits: WhepLimits;
  readonly #pending = new Map<string, Pending>();
  readonly #sessions = new Map<string, Session>();
  /** Offers whose request gave up waiting, by token: their stream, to end a late answer's session. */
  readonly #abandoned = new Map<string, { helper: string; stream: string }>();

  constructor(targetOf: (stream: string) => WhepTarget | undefined, limits: WhepLimits = DEFAULT_WHEP_LIMITS) {
    this.#targetOf = targetOf;
    this.#limits = limits;
  }

  /** Sessions answered and not ended. */
  get sessions(): number {
    return this.#sessions.size;
  }

  offer(stream: string, sdp: string, address: string, userAgent: string | undefined): Promise<WhepResult> {
    const target = this.#targetOf(stream);
    if (!target) return Promise.resolve({ status: 404, message: `no stream named ${stream}` });
    if (this.#pending.size >= this.#limits.maxPending)
      return Promise.resolve({ status: 503, message: 'too many offers waiting for an answer', retryAfterS: 1 });
    const session = randomBytes(16).toString('base64url');
    const sent = target.send({ name: 'whep-offer', session, mount: target.mount, address, sdp, userAgent });
    if (!sent) return Promise.resolve({ status: 503, message: `${stream}'s helper is not running`, retryAfterS: 2 });
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(session);
        // It may still answer: the session is then ended as soon as it does (onReply).
        this.#abandoned.set(session, { helper: target.helper, stream });
        resolve({
          status: 504,
          message: `${stream}'s helper did not answer within ${this.#limits.answerTimeoutMs} ms`,
        });
      }, this.#limits.answerTimeoutMs);
      this.#pending.set(session, { helper: target.helper, stream, resolve, timer });
    });
  }

  /** DELETE: false when the stream has no such session. */
  end(stream: string, session: string): boolean {
    const known = this.#sessions.get(session);
    if (!known || known.stream !== stream) return false;
    this.#sessions.delete(session);
    this.#targetOf(stream)?.send({ name: 'whep-close', session });
    return true;
  }

  /** A helper's `whep` record. */
  onReply(helper: string, reply: WhepReply): void {
    const pending = this.#pending.get(reply.session);
    if (!pending || pending.helper !== helper) {
      const abandoned = this.#abandoned.get(reply.session);
      this.#abandoned.delete(reply.session);
      // Answered after its request gave up: nobody will use the session.
      if (abandoned !== undefined && reply.event === 'answer')
        this.#targetOf(abandoned.stream)?.send({ name: 'whep-close', session: reply.session });
      return;
    }
    this.#pending.delete(reply.session);
    clearTimeout(pending.timer);
    if (reply.event === 'answer') {
      this.#sessions.set(reply.session, { helper, stream: pending.stream, clientId: reply.clientId });
      pending.resolve({ status: 201, sdp: reply.sdp, session: reply.session });
    } else {
      pending.resolve({
        status: reply.status,
        message: reply.message,
        retryAfterS: reply.status === 503 ? 5 : undefined,
      });
    }
  }

  /** A WebRTC viewer of the helper ended (closed, reaped, timed out): its token opens nothing now. */
  onViewerLeft(helper: string, clientId: number): void {
    for (const [session, known] of this.#sessions)
      if (known.helper === helper && known.clientId === clientId) this.#sessions.delete(session);
  }

  /** The helper stopped: its offers fail, its sessions are gone. */
  onHelperGone(helper: string): void {
    for (const [session, pending] of this.#pending) {
      if (pending.helper !== helper) continue;
      this.#pending.delete(session);
      clearTimeout(pending.timer);
      pending.resolve({ status: 503, message: `${pending.stream}'s helper stopped`, retryAfterS: 2 });
    }
    for (const [session, known] of this.#sessions) if (known.helper === helper) this.#sessions.delete(session);
    for (const [session, known] of this.#abandoned) if (known.helper === helper) this.#abandoned.delete(session);
  }

  /** Answers every waiting offer (503): the server is stopping. */
  close(): void {
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.resolve({ status: 503, message: 'the server is stopping' });
    }
    this.#pending.clear();
  }
}
