/* A viewer over RTSP: gst-rtsp-server's client of one connection, made by
 * the helper's server (server/server.c), with what the helper adds to it.
 * It checks each request before gst-rtsp-server handles it (and answers
 * the error itself), owns the sessions it sets up, follows where its
 * stream stands for its reports to be checked, budgets its RTCP, is paced
 * and skipped over TCP, and is watched by the guard. Its records are the
 * `client` and `rejected` ones. */
#ifndef RTSP_HELPER_RTSP_VIEWER_H
#define RTSP_HELPER_RTSP_VIEWER_H

#include <gst/rtsp-server/rtsp-server.h>

#include "link/protocol.h"
#include "mount/mounts.h"
#include "viewer/connection-guard.h"
#include "viewer/session-pool.h"
#include "viewer/transport-policy.h"
#include "viewer/viewers.h"

G_BEGIN_DECLS

#define RTSP_TYPE_VIEWER (rtsp_viewer_get_type ())
G_DECLARE_FINAL_TYPE (RtspViewer, rtsp_viewer, RTSP, VIEWER, GstRTSPClient);

/* What viewers need of their server: shared by all of them, it outlives
 * them all. */
typedef struct
{
  Protocol *protocol;
  Viewers *viewers;
  const Mounts *mounts;
  HelperSessionPool *sessions;
  TransportPolicy transport_policy;
  GuardLimits guard_limits;
  gint next_id;                 /* atomic: the last id given */
} RtspViewerParent;

/* Made by the server's create_client; rtsp_viewer_attach() once its
 * connection is set. */
RtspViewer *rtsp_viewer_new (RtspViewerParent * parent);
/* Takes its connection's socket and address, joins the registry, and
 * emits `client connected`. Main thread. */
void rtsp_viewer_attach (RtspViewer * viewer);

/* The reason of the error answer that follows (`auth_failed`), for its
 * `rejected` record; NULL viewer: nothing. Client thread. */
void rtsp_viewer_note_refusal (RtspViewer * viewer, const gchar * reason);

/* Shuts its connection down (the client then sees EOF and closes on its
 * own thread) and emits the `rejected` record of why. Any thread. */
void rtsp_viewer_close (RtspViewer * viewer, const gchar * reason);

/* What admission weighs: whether it is already closing, holds a session
 * and has had an answer. */
typedef struct
{
  gboolean closing;
  gboolean sessions;
  gboolean answered;
} RtspViewerStanding;

void rtsp_viewer_standing (RtspViewer * viewer, RtspViewerStanding * standing);
/* Why its connection should be closed now (viewer/connection-guard.h), or
 * NULL. Main thread. */
const gchar *rtsp_viewer_check_connection (RtspViewer * viewer, gint64 now_us);

/* A session it set up ended, however. Any thread. */
void rtsp_viewer_session_ended (RtspViewer * viewer);
/* One timed out: it no longer plays (its `client timeout` record). */
void rtsp_viewer_timed_out (RtspViewer * viewer);

typedef enum
{
  /* Skips a viewer of a shared encoder that fell behind, resumes it from
   * a key frame once it caught up. Every 100 ms. */
  RTSP_VIEWER_TCP_SKIP,
  /* Emits its `queue` record. */
  RTSP_VIEWER_TCP_QUEUE,
} RtspViewerTcpSample;

/* Samples a viewer playing over TCP: the bytes its socket still holds,
 * against what its encoder sent. Main thread. */
void rtsp_viewer_sample_tcp (RtspViewer * viewer, RtspViewerTcpSample what);

G_END_DECLS

#endif /* RTSP_HELPER_RTSP_VIEWER_H */
