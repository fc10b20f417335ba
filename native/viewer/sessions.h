/* Viewers' RTSP sessions: each belongs to the connection that set it up,
 * ends with it, and counts against --max-viewers; vanished viewers' ones
 * are reaped. */
#ifndef RTSP_HELPER_SESSIONS_H
#define RTSP_HELPER_SESSIONS_H

#include "main/app.h"
#include "viewer/client-info.h"

/* Marks the client's new sessions as its own and refuses a SETUP for one
 * session too many (453). */
void sessions_watch_client (App * app, GstRTSPClient * client);
/* The client's connection closed: gst-rtsp-server has stopped the media of
 * its sessions (TCP, and UDP with stop-on-disconnect) but would keep the
 * sessions, and their --max-viewers slots, until they time out. */
void sessions_end_owned (GstRTSPClient * client, ClientInfo * info);
/* Follows the session pool and starts its cleanup timer (main thread):
 * a session that timed out gets a `client timeout` record. */
void sessions_watch (App * app);
void sessions_unwatch (App * app);

#endif /* RTSP_HELPER_SESSIONS_H */
