// The bitrate that really left the payloader, from consecutive `stats` records (cumulative
// bytes with the helper's monotonic time).
export class SentRateMeter {
  #last: { tUs: number; bytesSent: number } | undefined;

  /** kbit/s since the previous sample; undefined for the first one of a media. */
  add(tUs: number, bytesSent: number): number | undefined {
    const previous = this.#last;
    this.#last = { tUs, bytesSent };
    if (!previous || tUs <= previous.tUs) return undefined;
    return ((bytesSent - previous.bytesSent) * 8) / 1000 / ((tUs - previous.tUs) / 1e6);
  }

  /** A new media counts its bytes from zero. */
  reset(): void {
    this.#last = undefined;
  }
}
