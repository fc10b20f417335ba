// One name per viewer across record kinds: its RTSP client id when the helper knows it, its
// RTP source otherwise (a receiver report from a source no session claims).
export function viewerKey(ids: { clientId?: number; ssrc?: number }): string {
  return ids.clientId === undefined ? `ssrc:${ids.ssrc}` : `client:${ids.clientId}`;
}
