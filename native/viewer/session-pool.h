/* Viewers' RTSP sessions: each belongs to the viewer that set it up and
 * plays one mount; each mount takes --max-viewers of them and each client
 * address --max-viewers-per-address; vanished viewers' ones are reaped
 * (gst-rtsp-server never runs its pool's cleanup by itself). */
#ifndef RTSP_HELPER_SESSION_POOL_H
#define RTSP_HELPER_SESSION_POOL_H

#include <gst/rtsp-server/rtsp-server.h>

#include "link/protocol.h"
#include "mount/mount-factory.h"
#include "viewer/viewer.h"

G_BEGIN_DECLS

#define HELPER_TYPE_SESSION (helper_session_get_type ())
G_DECLARE_FINAL_TYPE (HelperSession, helper_session, HELPER, SESSION,
    GstRTSPSession);

#define HELPER_TYPE_SESSION_POOL (helper_session_pool_get_type ())
G_DECLARE_FINAL_TYPE (HelperSessionPool, helper_session_pool, HELPER,
    SESSION_POOL, GstRTSPSessionPool);

typedef struct
{
  guint session_timeout_s;      /* without a request or RTCP */
  guint cleanup_interval_s;
  guint max_viewers;            /* per mount */
  guint max_viewers_per_address;
  guint mounts;
} SessionLimits;

/* Reports a viewer whose session timed out (its `client timeout` record
 * and the end of its play). Main thread. */
typedef void (*SessionTimedOut) (Viewer * owner, gpointer user_data);
/* A session of the viewer ended, however. Any thread. */
typedef void (*SessionEnded) (Viewer * owner, gpointer user_data);

HelperSessionPool *helper_session_pool_new (const SessionLimits * limits,
    SessionEnded ended, SessionTimedOut timed_out, gpointer user_data);
/* Starts reaping sessions that timed out; stops with
 * helper_session_pool_stop(). Main thread. */
void helper_session_pool_start (HelperSessionPool * pool);
void helper_session_pool_stop (HelperSessionPool * pool);

/* Viewers that hold no RTSP session (WebRTC peers): how many watch `mount`
 * and how many come from `address`. Any thread. */
typedef void (*SessionOthers) (MountFactory * mount, const gchar * address,
    guint * of_mount, guint * of_address, gpointer user_data);
/* Counts those in the limits too. */
void helper_session_pool_count_others (HelperSessionPool * pool,
    SessionOthers others, gpointer user_data);

/* NULL when a new session of `mount` for a viewer at `address` may be
 * made (an RTSP session or another viewer's); else why not (`max_viewers`,
 * `max_viewers_per_address`). */
const gchar *helper_session_pool_refusal (HelperSessionPool * pool,
    MountFactory * mount, const gchar * address);
/* Ends every session of this owner. Any thread. */
void helper_session_pool_end_owned (HelperSessionPool * pool, Viewer * owner);

/* A session made by a SETUP of `viewer` for `mount`. */
void helper_session_set_owner (HelperSession * session, Viewer * owner,
    const gchar * address, MountFactory * mount);
gboolean helper_session_is_owned_by (HelperSession * session,
    Viewer * viewer);

G_END_DECLS

#endif /* RTSP_HELPER_SESSION_POOL_H */
