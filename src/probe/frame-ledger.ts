// Which source frame each decoded picture shows, from its stamp (docs/test-video.md), and the
// counts that follow: unique source frames shown, repeated, skipped. A looping server starts the
// clip's numbers again: a number lower than the last one shown is the next loop. Pure.
export interface FrameIdentity {
  /** The stamp read from the picture, or inferred (below); undefined when neither. */
  stamp?: number;
  /** The stamp counted across loops of the clip: the source frame's place in the stream. */
  source?: number;
  /** Not read from the band (damaged by loss) but inferred from the presentation time since the
   *  last stamp read. */
  inferred: boolean;
  /** Shows the same source frame as an earlier picture. */
  repeated: boolean;
}

export interface LedgerCounts {
  decoded: number;
  /** Pictures with a source frame (read or inferred). */
  identified: number;
  inferred: number;
  /** Pictures whose source frame could not be told. */
  unidentified: number;
  unique: number;
  repeated: number;
  /** Source frames from the first shown to the last shown: what the server produced meanwhile. */
  produced: number;
  /** Produced but never shown. */
  skipped: number;
}

export class FrameLedger {
  private decoded = 0;
  private inferredCount = 0;
  private unidentified = 0;
  private repeated = 0;
  private readonly shown = new Set<number>();
  private first: number | undefined;
  private last: number | undefined;
  private loopOffset = 0;
  private maxStamp = -1;
  private lastRead: { source: number; ptsMs: number } | undefined;

  /**
   * @param clipFrames frames in one loop of the clip (the reference's count); without it, one more
   *   than the highest stamp seen.
   * @param frameMs a source frame's duration, for inferring unreadable stamps from the
   *   presentation time; without it, nothing is inferred.
   */
  constructor(
    private readonly clipFrames?: number,
    private readonly frameMs?: number,
  ) {}

  identify(stamp: number | undefined, ptsMs: number | undefined): FrameIdentity {
    this.decoded += 1;
    let source: number | undefined;
    let inferred = false;
    if (stamp !== undefined) {
      source = this.unwrap(stamp);
      if (ptsMs !== undefined) this.lastRead = { source, ptsMs };
    } else if (this.lastRead !== undefined && ptsMs !== undefined && this.frameMs !== undefined) {
      source = this.lastRead.source + Math.round((ptsMs - this.lastRead.ptsMs) / this.frameMs);
      inferred = true;
      this.inferredCount += 1;
    }
    if (source === undefined) {
      this.unidentified += 1;
      return { inferred: false, repeated: false };
    }
    const repeated = this.shown.has(source);
    if (repeated) this.repeated += 1;
    else this.shown.add(source);
    this.first = Math.min(this.first ?? source, source);
    this.last = Math.max(this.last ?? source, source);
    const period = this.period();
    return { stamp: stamp ?? (period !== undefined ? source % period : undefined), source, inferred, repeated };
  }

  private period(): number | undefined {
    return this.clipFrames ?? (this.maxStamp >= 0 ? this.maxStamp + 1 : undefined);
  }

  private unwrap(stamp: number): number {
    if (this.last !== undefined && this.loopOffset + stamp < this.last - (this.period() ?? 0) / 2) {
      this.loopOffset += this.period()!;
    }
    this.maxStamp = Math.max(this.maxStamp, stamp);
    return this.loopOffset + stamp;
  }

  counts(): LedgerCounts {
    const produced = this.first === undefined ? 0 : this.last! - this.first + 1;
    const unique = this.shown.size;
    return {
      decoded: this.decoded,
      identified: this.decoded - this.unidentified,
      inferred: this.inferredCount,
      unidentified: this.unidentified,
      unique,
      repeated: this.repeated,
      produced,
      skipped: produced - unique,
    };
  }
}
