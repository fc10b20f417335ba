// The controllers of one dynamic mount: one per encoder the helper runs (a viewer's own, or one
// shared by several past --encoders-per-video), each fed only with its own viewers' feedback and
// its own encoder's records, so each viewer's bitrate follows its own path. An encoder's
// controller starts with the encoder (at the start bitrate: a new viewer's path is unknown) and
// ends with it; a restarted helper starts them all over.
import type { StreamEvent } from '../feedback/stream-feedback.ts';
import type { HelperCommand } from '../helper/commands.ts';
import { viewerLeft } from '../helper/events.ts';
import { viewerKey } from '../metrics/viewer-key.ts';
import type { Decision } from './controller.ts';
import { EncoderControl, type EncoderControlOptions } from './encoder-control.ts';

/** Records without an encoder id come from a helper that runs one encoder (protocol 2). */
const ONLY_ENCODER = 0;

export interface MountControlOptions extends Omit<EncoderControlOptions, 'send' | 'onDecision'> {
  send(command: HelperCommand): boolean;
  onDecision(decision: Decision, encoder: number): void;
}

export class MountControl {
  readonly #options: MountControlOptions;
  readonly #encoders = new Map<number, EncoderControl>();
  /** Each playing viewer's encoder. */
  readonly #viewers = new Map<string, number>();
  /** Encoders whose media ended: a late record of theirs starts no controller. */
  readonly #ended = new Set<number>();

  constructor(options: MountControlOptions) {
    this.#options = options;
  }

  /** Each running encoder's target, kbit/s. */
  targets(): Map<number, number> {
    return new Map([...this.#encoders].map(([encoder, control]) => [encoder, control.targetKbps]));
  }

  onEvent(event: StreamEvent): void {
    const encoder = this.#encoderOf(event);
    if (encoder === undefined || this.#ended.has(encoder)) return;
    this.#control(encoder).onEvent(event);
    if (event.type === 'media' && event.event === 'unprepared') {
      this.#encoders.delete(encoder);
      // Without ids a helper's next media reuses the one key.
      if (encoder !== ONLY_ENCODER) this.#ended.add(encoder);
    }
  }

  /** A helper that stopped took its encoders and viewers along. */
  onHelperGone(): void {
    this.#encoders.clear();
    this.#viewers.clear();
    this.#ended.clear();
  }

  #control(encoder: number): EncoderControl {
    let control = this.#encoders.get(encoder);
    if (!control) {
      control = new EncoderControl({
        config: this.#options.config,
        clock: this.#options.clock,
        send: (command) =>
          this.#options.send(
            command.name === 'bitrate' && encoder !== ONLY_ENCODER ? { ...command, encoder } : command,
          ),
        onDecision: (decision) => this.#options.onDecision(decision, encoder),
      });
      this.#encoders.set(encoder, control);
    }
    return control;
  }

  /** The encoder an event is about; undefined when it is about none (or one already gone). */
  #encoderOf(event: StreamEvent): number | undefined {
    switch (event.type) {
      case 'media':
      case 'frame':
      case 'stats':
        return event.encoder ?? ONLY_ENCODER;
      case 'bitrate':
        // Without an id: acknowledged for encoders to come, none running.
        return event.encoder ?? (this.#encoders.has(ONLY_ENCODER) ? ONLY_ENCODER : undefined);
      case 'client': {
        const viewer = viewerKey(event);
        if (event.event === 'playing') this.#viewers.set(viewer, event.encoder ?? ONLY_ENCODER);
        const encoder = this.#viewers.get(viewer);
        if (viewerLeft(event.event)) this.#viewers.delete(viewer);
        return encoder;
      }
      case 'twcc':
        return event.encoder ?? this.#viewers.get(viewerKey(event));
      case 'queue':
        return this.#viewers.get(viewerKey(event));
      case 'report':
      case 'feedback_issue':
        return this.#viewers.get(event.viewer);
      case 'ready':
        this.onHelperGone();
        return undefined;
      case 'hello':
      case 'loop':
      case 'source':
      case 'source_stats':
      case 'error':
      case 'rejected':
      case 'heartbeat':
      case 'memory':
      case 'bye':
      case 'crash':
      case 'whep':
        return undefined;
    }
  }
}
