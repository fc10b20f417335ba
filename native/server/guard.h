/* Limits on RTSP connections that gst-rtsp-server does not have: how long
 * one may idle without a session, and how long and how large a request may
 * be before it is answered. */
#ifndef RTSP_HELPER_GUARD_H
#define RTSP_HELPER_GUARD_H

#include "main/app.h"
#include "viewer/client-info.h"

/* A request head may take this many bytes, its body MAX_BODY_BYTES. */
#define MAX_HEAD_BYTES (16 * 1024)
#define MAX_BODY_BYTES 4096

/* Checks every open connection every 100 ms, on the main loop. */
void guard_start (App * app);
void guard_stop (App * app);
/* A whole request arrived (its pre-request signal), or a response is sent:
 * the connection is alive and what it has sent so far was a request. Any
 * thread. */
void guard_note_request (App * app, ClientInfo * info);
void guard_note_answer (App * app, ClientInfo * info);
/* Shuts the connection down (the client then sees EOF and closes on its own
 * thread) and emits its `rejected` record. Any thread. */
void guard_close (App * app, ClientInfo * info, const gchar * reason);
/* The same, once the answer being sent had time to leave. Any thread. */
void guard_close_after_answer (App * app, ClientInfo * info,
    const gchar * reason);

#endif /* RTSP_HELPER_GUARD_H */
