// The controller of one encoder of a dynamic mount (mount-control.ts gives it its viewers' and its
// encoder's records, their feedback checked first, src/feedback/): records become observations,
// decisions become `control` records and `bitrate N` commands (the target, raised by the
// encoder's measured shortfall: encoder-gain.ts).
import type { StreamEvent } from '../feedback/stream-feedback.ts';
import type { HelperCommand } from '../helper/commands.ts';
import { SentRateMeter } from '../metrics/sent-rate.ts';
import { viewerKey } from '../metrics/viewer-key.ts';
import { BitrateController, type ControllerConfig, type Decision } from './controller.ts';
import { EncoderGain } from './encoder-gain.ts';
import type { Observation } from './observations.ts';
import { MIN_CHANGE } from './tuning.ts';

export interface EncoderControlOptions {
  config: ControllerConfig;
  /** ms since the run started, for a helper's monotonic µs time, and now. */
  clock: { fromMonotonicUs(us: number): number; nowMs(): number };
  /** Sends a command to the helper about this encoder; false when it is not running. */
  send(command: HelperCommand): boolean;
  onDecision(decision: Decision): void;
}

export class EncoderControl {
  readonly #options: EncoderControlOptions;
  readonly #controller: BitrateController;
  readonly #sentRate = new SentRateMeter();
  readonly #gain = new EncoderGain();
  /** The encoder's bitrate as the helper last acknowledged it. */
  #settingKbps: number | undefined;

  constructor(options: EncoderControlOptions) {
    this.#options = options;
    this.#controller = new BitrateController(options.config);
  }

  get targetKbps(): number {
    return this.#controller.targetKbps;
  }

  onEvent(event: StreamEvent): void {
    const observation = this.#observation(event);
    if (observation === undefined) return;
    const decision = this.#controller.observe(observation);
    if (decision === undefined) return;
    this.#applyTarget();
    this.#options.onDecision(decision);
  }

  #applyTarget(): void {
    this.#options.send({ name: 'bitrate', kbps: this.#gain.settingFor(this.#controller.targetKbps) });
  }

  /** A second of output at the encoder's setting: its shortfall may move the setting. */
  #onSent(sentKbps: number): void {
    if (this.#settingKbps === undefined) return;
    this.#gain.add(sentKbps, this.#settingKbps);
    const setting = this.#gain.settingFor(this.#controller.targetKbps);
    if (Math.abs(setting - this.#settingKbps) >= MIN_CHANGE * this.#settingKbps) this.#applyTarget();
  }

  /** A helper that stopped took its viewers along. */
  onHelperGone(): void {
    this.#controller.forgetViewers();
    this.#sentRate.reset();
  }

  #observation(event: StreamEvent): Observation | undefined {
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
          case 'skipping':
          case 'resumed':
            return undefined;
        }
        break;
      }
      case 'report':
        return {
          kind: 'report',
          viewer: event.viewer,
          tMs: nowMs,
          rttMs: event.rttUs === undefined ? undefined : event.rttUs / 1000,
          loss: event.intervalLoss,
          trusted: !event.corrected,
        };
      case 'twcc':
        return {
          kind: 'twcc',
          viewer: viewerKey(event),
          tMs: nowMs,
          packets: event.packets - event.unknown,
          lost: event.lost,
          groups: event.groups.map((group) => ({
            sendMs: this.#options.clock.fromMonotonicUs(group.sendUs),
            arrivalMs: group.arrivalUs / 1000,
            bytes: group.bytes,
          })),
        };
      case 'queue':
        return {
          kind: 'queue',
          viewer: viewerKey(event),
          tMs: nowMs,
          unsentBytes: event.unsentBytes,
          bytesSent: event.bytesSent,
        };
      case 'stats': {
        const sentKbps = this.#sentRate.add(event.tUs, event.bytesSent);
        if (sentKbps === undefined) return undefined;
        this.#onSent(sentKbps);
        return { kind: 'sent', tMs: this.#options.clock.fromMonotonicUs(event.tUs), sentKbps };
      }
      case 'bitrate':
        this.#settingKbps = event.bitrateKbps;
        return undefined;
      case 'media':
        if (event.event === 'unprepared') this.onHelperGone();
        else this.#sentRate.reset();
        return undefined;
      case 'hello':
      case 'ready':
      case 'whep':
      case 'frame':
      case 'loop':
      case 'source':
      case 'source_stats':
      case 'error':
      case 'rejected':
      case 'heartbeat':
      case 'memory':
      case 'feedback_issue':
      case 'bye':
      case 'crash':
        return undefined;
    }
  }
}
