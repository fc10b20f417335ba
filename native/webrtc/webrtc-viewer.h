/* A browser watching a mount over WebRTC (WHEP, RFC 9725): the second kind
 * of Viewer beside the RTSP client. Each has a pipeline of its own, fed by
 * the mount's one decode: its own encoder and controller on an adaptive
 * mount, the mount's fixed bitrate on the other; rtph264pay into webrtcbin,
 * whose RTP session gives its feedback (TWCC, receiver reports) to the same
 * FeedbackIn as an RTSP viewer's, NACKs to rtprtxsend, PLI and FIR to the
 * encoder as a key frame. It answers the browser's offer once its ICE
 * candidates are gathered, and ends when asked (`whep-close`), when its
 * peer connection fails, when ICE and DTLS do not complete in time
 * (--webrtc-connect-timeout), or when its peer stops sending RTCP. */
#ifndef RTSP_HELPER_WEBRTC_VIEWER_H
#define RTSP_HELPER_WEBRTC_VIEWER_H

#include <gst/gst.h>

#include "webrtc/webrtc-broadcast.h"
#include "webrtc/webrtc-context.h"
#include "webrtc/whep-offer.h"

G_BEGIN_DECLS

/* A connected peer silent this long (browsers send RTCP every second or
 * more often) is gone. */
#define WEBRTC_SILENCE_TIMEOUT_S 10

#define WEBRTC_TYPE_VIEWER (webrtc_viewer_get_type ())
G_DECLARE_FINAL_TYPE (WebrtcViewer, webrtc_viewer, WEBRTC, VIEWER, GObject);

/* The viewer has ended (its `client` record is out): the owner drops it.
 * Main thread. */
typedef void (*WebrtcViewerEnded) (WebrtcViewer * viewer, gpointer user_data);

/* A viewer known as `token` (the supervisor's name for its session), of a
 * browser at `address`, with client id `id`, of the mount at path `mount`. */
WebrtcViewer *webrtc_viewer_new (const WebrtcContext * context, guint id,
    const gchar * token, const gchar * address, const gchar * user_agent,
    const gchar * mount, WebrtcViewerEnded ended, gpointer user_data);
/* Builds its pipeline for the offer (which it takes) and answers it with a
 * `whep answer` record once its candidates are gathered, or a `whep
 * refused` one. With a broadcast (a static mount's), it plays that one's
 * packets; else it encodes for itself. Main thread. */
void webrtc_viewer_start (WebrtcViewer * viewer, const WebrtcMount * mount,
    WhepOffer * offer, WebrtcBroadcast * broadcast);
/* The broadcast it plays, or NULL. */
WebrtcBroadcast *webrtc_viewer_broadcast (WebrtcViewer * viewer);
/* Ends it with this `client` event (`teardown`, `closed`, `timeout`); its
 * ended callback follows. Main thread. */
void webrtc_viewer_end (WebrtcViewer * viewer, const gchar * event);

const gchar *webrtc_viewer_token (WebrtcViewer * viewer);
const gchar *webrtc_viewer_mount (WebrtcViewer * viewer);
const gchar *webrtc_viewer_address (WebrtcViewer * viewer);
/* Sets its own encoder's bitrate if it is `encoder` (0: whichever), and
 * emits the `bitrate` record. FALSE when it is not (or it has none).
 * Main thread. */
gboolean webrtc_viewer_set_bitrate (WebrtcViewer * viewer, guint encoder,
    guint bitrate_kbps);

G_END_DECLS

#endif /* RTSP_HELPER_WEBRTC_VIEWER_H */
