/* Limits on RTSP connections that gst-rtsp-server does not have: how many
 * are open, how long one may idle without a session, and how long and how
 * large a request may be before it is answered. */
#ifndef RTSP_HELPER_GUARD_H
#define RTSP_HELPER_GUARD_H

#include "app.h"
#include "client-info.h"

/* A request head may take this many bytes, its body MAX_BODY_BYTES. */
#define MAX_HEAD_BYTES (16 * 1024)
#define MAX_BODY_BYTES 4096

/* Listens on app->server's address and accepts connections on the main
 * loop: one over --max-connections closes the oldest open connection that
 * has had no answer nor session, else it is itself closed at once, before
 * gst-rtsp-server makes a client of it. Starts the periodic check of open
 * connections. */
gboolean guard_listen (App * app, GError ** error);
void guard_unlisten (App * app);
/* A response was sent: the connection is alive and its request complete.
 * Any thread. */
void guard_note_answer (App * app, ClientInfo * info);
/* Shuts the connection down (the client then sees EOF and closes on its own
 * thread) and emits its `rejected` record. Any thread. */
void guard_close (App * app, ClientInfo * info, const gchar * reason);

#endif /* RTSP_HELPER_GUARD_H */
