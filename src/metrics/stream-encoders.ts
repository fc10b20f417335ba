// A stream's running encoders and what each sends: a static mount runs one, a dynamic mount one
// per viewer (up to --encoders-per-video), each with its own target.
import { SentRateMeter } from './sent-rate.ts';
import { WindowRate } from './window-rate.ts';

/** An encoder's latest frame rate and sent bitrate. */
export interface EncoderWindow {
  fps: number | undefined;
  sentKbps: number | undefined;
}

/** Records without an encoder id come from a helper that runs one encoder (protocol 2). */
export const ONLY_ENCODER = 0;

/** The `encoder` key of a metrics record, present when the helper named one. */
export function encoderField(encoder: number | undefined): { encoder?: number } {
  return encoder === undefined || encoder === ONLY_ENCODER ? {} : { encoder };
}

export class EncoderFigures {
  readonly window = new WindowRate();
  readonly sentRate = new SentRateMeter();
  fps: number | undefined;
  targetKbps: number | undefined;
  appliedKbps: number | undefined;
  /** Its latest frame rate and sent bitrate, each unknown until its first window or `stats` record. */
  lastWindow: EncoderWindow | undefined;
}

const sortedKbps = (values: (number | undefined)[]): number[] =>
  values.filter((value) => value !== undefined).sort((a, b) => a - b);

export class StreamEncoders {
  readonly #byId = new Map<number, EncoderFigures>();

  /** The encoder's figures, started on its first record. */
  of(id: number | undefined): EncoderFigures {
    const key = id ?? ONLY_ENCODER;
    let figures = this.#byId.get(key);
    if (!figures) {
      figures = new EncoderFigures();
      this.#byId.set(key, figures);
    }
    return figures;
  }

  find(id: number): EncoderFigures | undefined {
    return this.#byId.get(id);
  }

  has(id: number): boolean {
    return this.#byId.has(id);
  }

  delete(id: number): void {
    this.#byId.delete(id);
  }

  ids(): number[] {
    return [...this.#byId.keys()];
  }

  clear(): void {
    this.#byId.clear();
  }

  get size(): number {
    return this.#byId.size;
  }

  targetsKbps(): number[] {
    return sortedKbps([...this.#byId.values()].map((figures) => figures.targetKbps));
  }

  appliedKbps(): number[] {
    return sortedKbps([...this.#byId.values()].map((figures) => figures.appliedKbps));
  }

  /** The last frame-rate window and sent rate of each encoder that has them. */
  lastWindows(): EncoderWindow[] {
    return [...this.#byId.values()].flatMap((figures) => (figures.lastWindow ? [figures.lastWindow] : []));
  }
}
