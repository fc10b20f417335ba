// What a server sent one viewer, from its own records, to judge what a client decoded against.
// A test that times real playback asks "did the viewer get what the server sent it?", not "did this
// machine decode 30 frames a second?": on a loaded machine a client may start late, decode slowly
// and stop a little after the stretch of stream it decoded. None of that is the product's fault,
// and none of it moves these figures, which compare the stretch of stream the client decoded (its
// frames' timestamps) with the frames the server sent over the same stretch (theirs), and check
// that the server kept the stream's frame rate over it (a stream that stalls for a second fails).
import assert from 'node:assert/strict';
import type { HelperEvent } from '../../src/helper/events.ts';
import { readMetricsSoFar, readMetricsWhen, type MetricRecord } from './metrics-file.ts';
import { setTimeout as sleep } from 'node:timers/promises';

/** One frame of a viewer's encoder: its place in the stream, µs, whether it was a key frame, and whether the viewer was skipped (below). */
export interface SentFrame {
  tUs: number;
  key: boolean;
  skipped: boolean;
}

/** A viewer's encoder's frames, and the frame rate its media was made at (its `prepared` record), when known. */
export interface SentFrames {
  frames: SentFrame[];
  fps: number | undefined;
}

/** What a client reports of what it decoded: how many frames, and their timestamps, s (any origin). */
export interface DecodedFrames {
  frames: number;
  framePtsS: readonly number[];
}

export interface Delivery {
  /** Frames the server sent the client over the stretch it decoded, from the first key frame it sent the client on. */
  sent: number;
  decoded: number;
  /** Frames the client's encoder sent over that stretch: `sent`, and those the client was skipped. */
  encoded: number;
  /** Frames that stretch holds at the media's frame rate (else the sent frames' usual step). */
  streamFrames: number;
  /** The stretch of stream the client decoded: its last frame's timestamp less its first's, s. */
  spanS: number;
  /** Frames the server sent from that key frame until the viewer left: `sent`, and those after the client stopped decoding. */
  sentUntilLeft: number;
  /** What the server sent after the decoded stretch, while the viewer still played, s of stream. */
  tailS: number;
  /** The media's frame rate, when known. */
  fps: number | undefined;
}

/**
 * Where a viewer's frames start in its records: at the media's `prepared` when the media was made
 * for it (after its `connected`, and no other viewer played it first): a new media's first frames
 * (a key frame, and those the appsrc held while it paused) may leave before the `playing` record is
 * written, and they are the viewer's. Otherwise at its own `playing` record: it joined a running
 * media, whose frames before its PLAY it did not get (two viewers arriving together: the second).
 */
function windowStart(
  playedAt: number,
  connectedAt: number,
  preparedAt: number,
  otherPlayedAt: (index: number) => boolean,
): number {
  const madeForIt = preparedAt > connectedAt && preparedAt < playedAt;
  for (let i = preparedAt + 1; madeForIt && i < playedAt; i++) if (otherPlayedAt(i)) return playedAt;
  return madeForIt ? preparedAt : playedAt;
}

/** A viewer's records in order, as far as what it was sent goes: a frame, or its being skipped or resumed. */
type Mark = Omit<SentFrame, 'skipped'> | 'skipping' | 'resumed';

/**
 * Its encoder's frames, each marked `skipped` when the server did not send it to the viewer: while
 * it skipped the viewer (a slow TCP viewer of a static mount, docs/faults.md: `skipping` to
 * `resumed`), and once resumed, until the next key frame, from which it is sent again.
 */
function markSkipped(marks: readonly Mark[]): SentFrame[] {
  const frames: SentFrame[] = [];
  let state: 'sent' | 'skipped' | 'awaiting key' = 'sent';
  for (const mark of marks) {
    if (mark === 'skipping') state = 'skipped';
    else if (mark === 'resumed') state = 'awaiting key';
    else {
      if (state === 'awaiting key' && mark.key) state = 'sent';
      frames.push({ ...mark, skipped: state !== 'sent' });
    }
  }
  return frames;
}

/**
 * The frames of the encoder helper client `clientId` played from, from its start (above) until its
 * leaving (`teardown`, `closed`, `timeout`), those it was skipped marked (above), on the frames' own
 * timestamps (the PTS; their send time if that is unknown). Record order is event order: frame
 * records are flushed before any other record (docs/protocol.md).
 */
export function sentToClient(records: readonly HelperEvent[], clientId: number): SentFrames {
  const isClient = (r: HelperEvent, events: readonly string[]) =>
    r.type === 'client' && r.clientId === clientId && events.includes(r.event);
  const playedAt = records.findIndex((r) => isClient(r, ['playing']));
  if (playedAt < 0) throw new Error(`client ${clientId} never played: ${JSON.stringify(records.slice(-20))}`);
  const playing = records[playedAt] as Extract<HelperEvent, { type: 'client' }>;
  const connectedAt = records.findIndex((r) => isClient(r, ['connected']));
  const preparedAt = records.findIndex(
    (r) => r.type === 'media' && r.event === 'prepared' && r.encoder === playing.encoder,
  );
  const prepared = records[preparedAt];
  const leftAt = records.findIndex((r, i) => i > playedAt && isClient(r, ['teardown', 'closed', 'timeout']));
  const frames = markSkipped(
    records
      .slice(
        windowStart(playedAt, connectedAt, preparedAt, (i) => {
          const r = records[i]!;
          return r.type === 'client' && r.event === 'playing' && r.encoder === playing.encoder;
        }) + 1,
        leftAt < 0 ? undefined : leftAt,
      )
      .flatMap((r): Mark[] => {
        if (r.type === 'frame' && r.encoder === playing.encoder)
          return [{ tUs: r.ptsUs ?? r.outUs, key: r.key === true }];
        if (isClient(r, ['skipping', 'resumed']))
          return [(r as Extract<HelperEvent, { type: 'client' }>).event as Mark];
        return [];
      }),
  );
  return { frames, fps: prepared?.type === 'media' ? prepared.fps : undefined };
}

/**
 * Each frame's place in the stream, µs, from its place in its file (`file_ms`): the file position
 * advances by one frame period per frame the encoder got (a frame dropped before it skips one),
 * and starts over at a loop point, where a frame period is added instead (a frame recorded twice
 * stays where it was). Unlike the send time
 * (`t_ms`), it does not move with a loaded machine's scheduling, and it is what the client's
 * timestamps count. Undefined when a frame lacks `file_ms`.
 */
function streamTimesUs(frames: readonly MetricRecord[]): number[] | undefined {
  const positions = frames.map((r) => (typeof r.file_ms === 'number' ? r.file_ms * 1000 : undefined));
  if (positions.some((p) => p === undefined)) return undefined;
  const steps = (positions as number[]).slice(1).map((p, i) => p - positions[i]!);
  const forward = steps.filter((step) => step > 0).sort((a, b) => a - b);
  const periodUs = forward[Math.floor(forward.length / 2)] ?? 0;
  const times = [0];
  for (const step of steps) times.push(times.at(-1)! + (step < 0 ? periodUs : step));
  return times;
}

/**
 * The same from a run's metrics.ndjson (`npm start`): the frames of `stream`'s encoder that helper
 * client `clientId` played from, on their place in the stream (above; their send times, `t_ms`,
 * if a frame lacks its file position). A restarted helper counts its clients and encoders from 1
 * again: `from` skips the records of earlier helpers (a count of records taken before the viewer
 * started). Frames it was skipped are marked, as in `sentToClient`. A helper's `connected`
 * records are its static mount's: for a viewer of the dynamic mount, its frames start at its
 * encoder's `prepared` (an encoder of its own, made for it) or at its `playing`.
 */
export function sentToViewer(records: readonly MetricRecord[], stream: string, clientId: number, from = 0): SentFrames {
  const ofStream = records.slice(from).filter((r) => r.stream === stream);
  const isClient = (r: MetricRecord, events: readonly string[]) =>
    r.type === 'client' && r.client_id === clientId && events.includes(String(r.event));
  const playedAt = ofStream.findIndex((r) => isClient(r, ['playing']));
  if (playedAt < 0) throw new Error(`${stream}: client ${clientId} never played`);
  const encoder = ofStream[playedAt]!.encoder;
  const connectedAt = ofStream.findIndex((r) => isClient(r, ['connected']));
  const preparedAt = ofStream.findIndex((r) => r.type === 'media' && r.event === 'prepared' && r.encoder === encoder);
  const leftAt = ofStream.findIndex((r, i) => i > playedAt && isClient(r, ['teardown', 'closed', 'timeout']));
  const start = windowStart(playedAt, connectedAt, preparedAt, (i) => {
    const r = ofStream[i]!;
    return r.type === 'client' && r.event === 'playing' && r.encoder === encoder;
  });
  const window = ofStream.slice(start + 1, leftAt < 0 ? undefined : leftAt);
  const frames = window.filter((r) => r.type === 'frame' && r.encoder === encoder);
  const times = streamTimesUs(frames) ?? frames.map((r) => Number(r.t_ms) * 1000);
  const timeOf = new Map(frames.map((r, i) => [r, times[i]!]));
  // The media's frame rate is its file's: any `prepared` record of the stream says it, from an
  // earlier helper too (a shared media may have been prepared before `from`).
  const fps = records.filter((r) => r.stream === stream && r.type === 'media' && r.event === 'prepared').at(-1)?.fps;
  return {
    frames: markSkipped(
      window.flatMap((r): Mark[] => {
        const tUs = timeOf.get(r);
        if (tUs !== undefined) return [{ tUs, key: r.key === true }];
        if (isClient(r, ['skipping', 'resumed'])) return [r.event as Mark];
        return [];
      }),
    ),
    fps: typeof fps === 'number' ? fps : undefined,
  };
}

/** The ids of `stream`'s viewers that played (from record `from` on), in the order they did. */
export function playingClients(records: readonly MetricRecord[], stream: string, from = 0): number[] {
  return records
    .slice(from)
    .filter((r) => r.type === 'client' && r.stream === stream && r.event === 'playing')
    .map((r) => Number(r.client_id));
}

/** How many records a run's metrics.ndjson holds now: a `from` for the viewer about to start. */
export async function metricsMark(runDir: string): Promise<number> {
  for (;;) {
    const records = readMetricsSoFar(runDir);
    if (records) return records.length;
    await sleep(50);
  }
}

/**
 * What the one viewer of `stream` that played from record `from` on decoded, against what the
 * server sent it: waits (metrics.ndjson is flushed every second) until the run's records hold its
 * leaving, or `timeoutMs`.
 */
export async function viewerDelivery(
  runDir: string,
  stream: string,
  decoded: DecodedFrames,
  from: number,
  timeoutMs = 5_000,
): Promise<Delivery> {
  const left = (records: readonly MetricRecord[], clientId: number) =>
    records
      .slice(from)
      .some(
        (r) =>
          r.type === 'client' &&
          r.stream === stream &&
          r.client_id === clientId &&
          ['teardown', 'closed', 'timeout'].includes(String(r.event)),
      );
  const records = await readMetricsWhen(
    runDir,
    (soFar) => playingClients(soFar, stream, from).some((clientId) => left(soFar, clientId)),
    timeoutMs,
  );
  const clients = playingClients(records, stream, from);
  assert.equal(
    clients.length,
    1,
    `one viewer of ${stream} played from record ${from} on: clients ${clients.join(', ')}`,
  );
  return delivery(sentToViewer(records, stream, clients[0]!, from), decoded);
}

/**
 * Lines what a client decoded up with what the server sent it. The client's first frame is the
 * first key frame the server sent after its PLAY (a viewer that joins a running media waits for one,
 * at most a second: docs/protocol.md); its stretch is its frames' timestamps; the server's frames
 * in the same stretch of its own timestamps (half a frame period of slack at the end) are what it
 * should have got.
 */
export function delivery({ frames, fps }: SentFrames, decoded: DecodedFrames): Delivery {
  const first = frames.findIndex((frame) => frame.key);
  const fromKey = first < 0 ? [] : frames.slice(first);
  const pts = decoded.framePtsS;
  const spanS = pts.length > 1 ? Math.max(...pts) - Math.min(...pts) : 0;
  const startUs = fromKey[0]?.tUs ?? 0;
  const steps = fromKey.slice(1).map((frame, i) => frame.tUs - fromKey[i]!.tUs);
  const periodUs = fps
    ? 1e6 / fps
    : steps.length > 0
      ? [...steps].sort((a, b) => a - b)[Math.floor(steps.length / 2)]!
      : 0;
  const endUs = startUs + spanS * 1e6 + periodUs / 2;
  const inStretch = fromKey.filter((frame) => frame.tUs <= endUs);
  const lastUs = fromKey.at(-1)?.tUs ?? startUs;
  return {
    sent: inStretch.filter((frame) => !frame.skipped).length,
    decoded: decoded.frames,
    encoded: inStretch.length,
    streamFrames: periodUs > 0 ? Math.round((spanS * 1e6) / periodUs) + 1 : 0,
    spanS,
    sentUntilLeft: fromKey.filter((frame) => !frame.skipped).length,
    tailS: Math.max(0, lastUs - endUs) / 1e6,
    fps,
  };
}

/** `what decoded D of the S frames sent over its N s of stream`, for assertion messages. */
export function describeDelivery(what: string, d: Delivery): string {
  return (
    `${what} decoded ${d.decoded} of the ${d.sent} frames the server sent it over the ${d.spanS.toFixed(2)} s of ` +
    `stream it decoded (its encoder sent ${d.encoded} of the ${d.streamFrames} frames of that stretch; ` +
    `${d.sentUntilLeft} were sent it until it left, ${d.tailS.toFixed(2)} s after that stretch)`
  );
}

/**
 * The client got what the server sent it: at least `share` of the frames of its stretch (less one:
 * the stretch's ends are a frame period apart on the two clocks). A server that sends a viewer
 * nothing, or loses a tenth of its frames on the way, fails; one that a loaded machine slowed does
 * not. And the server kept the stream going over that stretch: its encoder sent at least 90 % of
 * the stretch's frames (a loaded machine may drop a few before the encoder; a stream that stops for
 * a second in ten fails).
 */
export function assertDelivered(d: Delivery, what: string, share = 0.95): void {
  assert.ok(d.sent > 0 && d.decoded >= share * d.sent - 1, describeDelivery(what, d));
  assert.ok(d.encoded >= 0.9 * d.streamFrames, describeDelivery(what, d));
}

/**
 * rtspsrc plays for a wall-clock time, then gets SIGINT: what the server sent it after the last frame
 * it decoded, until its TEARDOWN arrived, s of stream. Its EOS drains the pipeline first, so this is
 * how late it read its socket and how long its TEARDOWN took (0 to 0.2 s on a loaded machine); a
 * server that stopped sending to a viewer a second before it left exceeds it.
 */
export const TAIL_S = 1;

/** A client that played for a wall-clock time (rtspsrc) got what the server sent it until it left. */
export function assertPlayedUntilLeft(d: Delivery, what: string): void {
  assertDelivered(d, what);
  assert.ok(d.tailS <= TAIL_S, describeDelivery(what, d));
}

/**
 * A client that asked for `seconds` of stream (FFmpeg's `-t`) got them, and what the server sent
 * over them. A viewer joining a running media decodes from the first key frame after its PLAY (one
 * a second), and counts its seconds from the start of the stream as the server's timestamps place it
 * (from before it joined): up to 1.1 s less.
 */
export function assertPlayedStretch(d: Delivery, what: string, seconds: number): void {
  assertDelivered(d, what);
  assert.ok(d.spanS >= seconds - 1.1, describeDelivery(what, d));
}

/**
 * A client whose frames cannot be placed in the stream (a probe of an unstamped clip gives no
 * timestamps), which played for a wall-clock time: it decoded at least 95 % of what the server sent
 * it until it left, less TAIL_S of stream (what followed its last frame until its TEARDOWN).
 */
export function assertDecodedUntilLeft(d: Delivery, what: string): void {
  const sent = d.sentUntilLeft - TAIL_S * (d.fps ?? 30);
  assert.ok(d.sentUntilLeft > 0 && d.decoded >= 0.95 * sent - 1, describeDelivery(what, d));
}

/**
 * The client's timestamps that are none the server sent: a frame twice, a timestamp reset or a jump
 * the server did not make. Both sequences are matched in order, once the clocks' offset is known
 * (the one that matches the most; the client's first frame is left out: FFmpeg stamps it before it
 * has a sender report); a timestamp matches a sent one within `toleranceS` (FFmpeg re-maps its clock
 * on a sender report, which stamps a frame up to half a period off). Sent frames the client lacks
 * (lost on the way) are `delivery`'s to count.
 */
export function foreignTimestamps({ frames }: SentFrames, clientPtsS: readonly number[], toleranceS: number): number[] {
  const first = frames.findIndex((frame) => frame.key);
  const server = (first < 0 ? [] : frames.slice(first)).map((frame) => frame.tUs / 1e6);
  const client = clientPtsS.slice(1);
  const unmatched = (offsetS: number): number[] => {
    const foreign: number[] = [];
    let j = 0;
    for (const pts of client) {
      const t = pts - offsetS;
      while (j < server.length && server[j]! < t - toleranceS) j++;
      if (j < server.length && Math.abs(server[j]! - t) <= toleranceS) j++;
      else foreign.push(pts);
    }
    return foreign;
  };
  const offsets = server.slice(0, 8).map((s) => (client[0] ?? 0) - s);
  const results = offsets.map(unmatched);
  return results.reduce((best, foreign) => (foreign.length < best.length ? foreign : best), client.slice());
}
