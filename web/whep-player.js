// A small WHEP client (RFC 9725) for the dashboard's player: offers to receive video, POSTs the
// offer once its ICE candidates are gathered (the server takes no trickled ones), sets the answer,
// and DELETEs the session when stopped. Served by the server itself, like every file of the page.
'use strict';

/** Resolves when the offer holds every candidate, or after `timeoutMs` with those gathered. */
function gatheringComplete(pc, timeoutMs) {
  return new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') return resolve();
    const done = () => {
      clearTimeout(timer);
      pc.removeEventListener('icegatheringstatechange', check);
      resolve();
    };
    const check = () => pc.iceGatheringState === 'complete' && done();
    const timer = setTimeout(done, timeoutMs);
    pc.addEventListener('icegatheringstatechange', check);
  });
}

/**
 * Plays the WHEP endpoint (e.g. /whep/video2) in `video`. Resolves to { pc, location, stop() }
 * once the answer is set; rejects with the server's status and words when it refuses.
 */
async function whepPlay(video, endpoint) {
  const pc = new RTCPeerConnection();
  pc.addTransceiver('video', { direction: 'recvonly' });
  pc.addEventListener('track', (event) => {
    video.srcObject = event.streams[0] ?? new MediaStream([event.track]);
  });
  try {
    await pc.setLocalDescription(await pc.createOffer());
    await gatheringComplete(pc, 1000);
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/sdp' },
      body: pc.localDescription.sdp,
    });
    const body = await response.text();
    if (response.status !== 201) throw new Error(`${response.status}: ${body.trim()}`);
    const location = new URL(response.headers.get('Location'), new URL(endpoint, window.location.href)).href;
    await pc.setRemoteDescription({ type: 'answer', sdp: body });
    return {
      pc,
      location,
      // keepalive: the DELETE is sent even from a page being left (pagehide); should it fail, the
      // server ends the session once this side falls silent.
      async stop() {
        pc.close();
        video.srcObject = null;
        await fetch(location, { method: 'DELETE', keepalive: true }).catch(() => undefined);
      },
    };
  } catch (error) {
    pc.close();
    throw error;
  }
}

/** What the browser saw of the stream so far: frames decoded, size, bytes, RTT (getStats). */
async function whepFigures(pc) {
  const figures = { framesDecoded: 0, width: 0, height: 0, bytesReceived: 0, rttMs: null, packetsLost: 0 };
  (await pc.getStats()).forEach((report) => {
    if (report.type === 'inbound-rtp' && report.kind === 'video') {
      figures.framesDecoded = report.framesDecoded ?? 0;
      figures.width = report.frameWidth ?? 0;
      figures.height = report.frameHeight ?? 0;
      figures.bytesReceived = report.bytesReceived ?? 0;
      figures.packetsLost = report.packetsLost ?? 0;
      figures.freezeCount = report.freezeCount ?? 0;
      figures.jitterBufferDelayMs =
        report.jitterBufferEmittedCount > 0
          ? (1000 * report.jitterBufferDelay) / report.jitterBufferEmittedCount
          : null;
    }
    if (report.type === 'candidate-pair' && report.nominated && report.currentRoundTripTime !== undefined)
      figures.rttMs = 1000 * report.currentRoundTripTime;
  });
  return figures;
}

window.whepPlay = whepPlay;
window.whepFigures = whepFigures;
