/* Viewers' RTSP connections and sessions: `client` records. */
#ifndef RTSP_HELPER_CLIENTS_H
#define RTSP_HELPER_CLIENTS_H

#include "app.h"
#include "client-info.h"

/* Follows app->server's clients and sessions; starts the session-pool
 * cleanup, the heartbeat and the `queue` timer. Main thread. */
void clients_watch (App * app);
void clients_unwatch (App * app);
/* So that every `connected` record has its `closed` before `bye`. */
void clients_wait_closed (App * app);

/* A `client` record of this event. Any thread. */
void clients_emit (App * app, const gchar * event, ClientInfo * info);
/* The viewer no longer plays (it left, or its session ended). */
void clients_stop_playing (App * app, ClientInfo * info);

#endif /* RTSP_HELPER_CLIENTS_H */
