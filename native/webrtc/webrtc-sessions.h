/* The helper's WebRTC viewers by session token: `whep-offer` makes one,
 * `whep-close` ends it; they count against --max-viewers and
 * --max-viewers-per-address with the RTSP sessions (session-pool.h), and
 * `bitrate N ENCODER` reaches their encoders. Main thread. */
#ifndef RTSP_HELPER_WEBRTC_SESSIONS_H
#define RTSP_HELPER_WEBRTC_SESSIONS_H

#include "mount/mounts.h"
#include "server/server.h"
#include "viewer/session-pool.h"
#include "webrtc/webrtc-viewer.h"

typedef struct _WebrtcSessions WebrtcSessions;

/* `context` outlives it. */
WebrtcSessions *webrtc_sessions_new (const WebrtcContext * context,
    const Mounts * mounts, HelperSessionPool * pool, HelperServer * server);
/* Ends every viewer. */
void webrtc_sessions_free (WebrtcSessions * sessions);

/* A browser's offer (the SDP, undecoded) for the mount at `path`: answered
 * or refused by a `whep` record naming `token`. */
void webrtc_sessions_offer (WebrtcSessions * sessions, const gchar * token,
    const gchar * path, const gchar * address, const gchar * user_agent,
    const gchar * sdp, gsize size);
/* FALSE when no session has that token. */
gboolean webrtc_sessions_close (WebrtcSessions * sessions, const gchar * token);
/* As mounts_set_bitrate(), for the WebRTC viewers' encoders: TRUE when one
 * of them is `encoder`. */
gboolean webrtc_sessions_set_bitrate (WebrtcSessions * sessions,
    guint encoder, guint bitrate_kbps);

#endif /* RTSP_HELPER_WEBRTC_SESSIONS_H */
