/* Viewers' RTSP connections and sessions: `client` records. */
#ifndef RTSP_HELPER_CLIENTS_H
#define RTSP_HELPER_CLIENTS_H

#include "main/app.h"
#include "viewer/client-info.h"

/* Follows app->server's clients and sessions; starts the session-pool
 * cleanup, the heartbeat and the `queue` timer. Main thread. */
void clients_watch (App * app);
void clients_unwatch (App * app);
/* So that every `connected` record has its `closed` before `bye`. */
void clients_wait_closed (App * app);

#endif /* RTSP_HELPER_CLIENTS_H */
