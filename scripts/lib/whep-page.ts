// What the benches and tests run inside a page of the server (playwright's page.evaluate) with the page's
// own WHEP player (web/whep-player.js: whepPlay, whepFigures): play a mount in a muted video, read
// its receiver, stop it. Each session is kept on the window under a name of the caller's, so one
// page can hold several. Each function is sent to the page as its source: none may use anything
// from outside its own body.

/** One reading of a session's receiver. */
export interface ReceiverSample {
  /** When the page read its stats, ms since the epoch (the page's clock is this machine's). */
  atMs: number;
  framesDecoded: number;
  width: number;
  height: number;
  /** Of the stream so far. */
  packetsLost: number;
  /** The ICE candidate pair's STUN RTT; null before one was measured. */
  rttMs: number | null;
  freezeCount: number;
  /** getStats' totalFreezesDuration, s: whepFigures does not give it. */
  freezesS: number;
  /** getStats' jitterBufferDelay (s, summed over frames) and jitterBufferEmittedCount, of which
   *  whepFigures gives the mean since the start only. */
  jitterBufferDelayS: number;
  jitterBufferEmitted: number;
  /** Frames its <video> showed (getVideoPlaybackQuality). */
  shown: number;
}

type Figures = Omit<ReceiverSample, 'atMs' | 'freezesS' | 'jitterBufferDelayS' | 'jitterBufferEmitted' | 'shown'>;

interface Session {
  pc: RTCPeerConnection;
  stop(): Promise<void>;
  video: HTMLVideoElement;
}

/** The page as these functions see it. */
interface PlayerWindow {
  whepPlay(video: HTMLVideoElement, endpoint: string): Promise<{ pc: RTCPeerConnection; stop(): Promise<void> }>;
  whepFigures(pc: RTCPeerConnection): Promise<Figures>;
  benchSessions?: Record<string, Session>;
}

/**
 * Plays `endpoint` (e.g. /whep/video2) in a new muted video as session `name`; resolves with the
 * ms from just before whepPlay (its POST) to the first decoded frame, or with `until: 'shown'` to
 * the first picture its <video> showed (a track its answer did not announce decodes unseen).
 */
export async function playInPage(args: {
  name: string;
  endpoint: string;
  timeoutMs: number;
  until?: 'decoded' | 'shown';
}): Promise<number> {
  const page = window as unknown as PlayerWindow;
  const video = document.createElement('video');
  video.muted = true;
  video.autoplay = true;
  document.body.append(video);
  const started = performance.now();
  const session = await page.whepPlay(video, args.endpoint);
  page.benchSessions = { ...page.benchSessions, [args.name]: { ...session, video } };
  const shown = args.until === 'shown';
  while (
    shown
      ? video.videoWidth === 0 || video.getVideoPlaybackQuality().totalVideoFrames === 0
      : (await page.whepFigures(session.pc)).framesDecoded === 0
  ) {
    if (performance.now() - started > args.timeoutMs)
      throw new Error(`${args.endpoint}: no frame ${shown ? 'shown' : 'decoded'} ${args.timeoutMs} ms after the POST`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return performance.now() - started;
}

/** whepFigures of session `name`, with the running sums it leaves out. */
export async function sampleInPage(name: string): Promise<ReceiverSample> {
  const page = window as unknown as PlayerWindow;
  const { pc, video } = page.benchSessions![name]!;
  const figures = await page.whepFigures(pc);
  const sums = { freezesS: 0, jitterBufferDelayS: 0, jitterBufferEmitted: 0 };
  (await pc.getStats()).forEach((report: Record<string, unknown>) => {
    if (report.type !== 'inbound-rtp' || report.kind !== 'video') return;
    sums.freezesS = (report.totalFreezesDuration as number | undefined) ?? 0;
    sums.jitterBufferDelayS = (report.jitterBufferDelay as number | undefined) ?? 0;
    sums.jitterBufferEmitted = (report.jitterBufferEmittedCount as number | undefined) ?? 0;
  });
  return { ...figures, ...sums, shown: video.getVideoPlaybackQuality().totalVideoFrames, atMs: Date.now() };
}

/** Closes session `name` and DELETEs it at the server. */
export async function stopInPage(name: string): Promise<void> {
  const page = window as unknown as PlayerWindow;
  const session = page.benchSessions![name]!;
  delete page.benchSessions![name];
  await session.stop();
}

/** How session `name` came through a lossy link: what it lost, asked again, got again and showed. */
export interface LossRecovery {
  /** Frames its <video> showed (getVideoPlaybackQuality). */
  shown: number;
  framesDecoded: number;
  freezeCount: number;
  freezesS: number;
  packetsLost: number;
  packetsReceived: number;
  nackCount: number;
  pliCount: number;
  retransmittedPacketsReceived: number;
}

export async function lossRecoveryInPage(name: string): Promise<LossRecovery> {
  const page = window as unknown as PlayerWindow;
  const { pc, video } = page.benchSessions![name]!;
  const figures: LossRecovery = {
    shown: video.getVideoPlaybackQuality().totalVideoFrames,
    framesDecoded: 0,
    freezeCount: 0,
    freezesS: 0,
    packetsLost: 0,
    packetsReceived: 0,
    nackCount: 0,
    pliCount: 0,
    retransmittedPacketsReceived: 0,
  };
  (await pc.getStats()).forEach((report: Record<string, unknown>) => {
    if (report.type !== 'inbound-rtp' || report.kind !== 'video') return;
    // Read in a loop, not by a helper: a named function here would be compiled to call one of
    // the bundler's, which the page does not have.
    for (const [field, key] of [
      ['framesDecoded', 'framesDecoded'],
      ['freezeCount', 'freezeCount'],
      ['freezesS', 'totalFreezesDuration'],
      ['packetsLost', 'packetsLost'],
      ['packetsReceived', 'packetsReceived'],
      ['nackCount', 'nackCount'],
      ['pliCount', 'pliCount'],
      ['retransmittedPacketsReceived', 'retransmittedPacketsReceived'],
    ] as const)
      figures[field] = (report[key] as number | undefined) ?? 0;
  });
  return figures;
}
