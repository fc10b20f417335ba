// The controller of one dynamic mount, wired to its helper: the helper's records become
// observations, decisions become `bitrate N` commands and `control` records.
import type { HelperCommand } from '../helper/commands.ts';
import type { HelperEvent } from '../helper/protocol.ts';
import { SentRateMeter } from '../metrics/sent-rate.ts';
import { viewerKey } from '../metrics/viewer-key.ts';
import { BitrateController, type ControllerConfig, type Decision } from './controller.ts';
import type { Observation } from './observations.ts';

export interface StreamControlOptions {
  config: ControllerConfig;
  /** ms since the run started, for a helper's monotonic µs time, and now. */
  clock: { fromMonotonicUs(us: number): number; nowMs(): number };
  /** Sends a command to the helper; false when it is not running. */
  send(command: HelperCommand): boolean;
  onDecision(decision: Decision): void;
}

export class StreamControl {
  readonly #options: StreamControlOptions;
  readonly #controller: BitrateController;
  readonly #sentRate = new SentRateMeter();

  constructor(options: StreamControlOptions) {
    this.#options = options;
    this.#controller = new BitrateController(options.config);
  }

  get targetKbps(): number {
    return this.#controller.targetKbps;
  }

  onEvent(event: HelperEvent): void {
    const observation = this.#observation(event);
    if (observation === undefined) return;
    const decision = this.#controller.observe(observation);
    if (decision === undefined) return;
    this.#options.send({ name: 'bitrate', kbps: decision.targetKbps });
    this.#options.onDecision(decision);
  }

  /** A helper that stopped took its viewers along. */
  onHelperGone(): void {
    this.#controller.forgetViewers();
    this.#sentRate.reset();
  }

  #observation(event: HelperEvent): Observation | undefined {
    const nowMs = this.#options.clock.nowMs();
    switch (event.type) {
      case 'client': {
        const viewer = viewerKey(event);
        switch (event.event) {
          case 'teardown':
          case 'timeout':
          case 'closed':
            return { kind: 'left', viewer, tMs: nowMs };
          case 'connected':
          case 'playing':
            return undefined;
        }
        break;
      }
      case 'rtcp':
        return {
          kind: 'report', viewer: viewerKey(event), tMs: nowMs, rttMs: event.rttUs === undefined ? undefined : event.rttUs / 1000,
          fractionLost: event.fractionLost, packetsLost: event.packetsLost, highestSeq: event.highestSeq,
        };
      case 'queue':
        return { kind: 'queue', viewer: viewerKey(event), tMs: nowMs, unsentBytes: event.unsentBytes };
      case 'stats': {
        const sentKbps = this.#sentRate.add(event.tUs, event.bytesSent);
        return sentKbps === undefined ? undefined : { kind: 'sent', tMs: this.#options.clock.fromMonotonicUs(event.tUs), sentKbps };
      }
      case 'ready':
        // A (re)started helper encodes at its start bitrate: give it the current target.
        if (this.#controller.targetKbps !== this.#options.config.startKbps) this.#options.send({ name: 'bitrate', kbps: this.#controller.targetKbps });
        return undefined;
      case 'media':
        if (event.event === 'unprepared') this.onHelperGone();
        else this.#sentRate.reset();
        return undefined;
      case 'hello':
      case 'frame':
      case 'loop':
      case 'bitrate':
      case 'error':
      case 'rejected':
      case 'heartbeat':
      case 'bye':
        return undefined;
    }
  }
}
