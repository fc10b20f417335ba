/* Viewers' RTSP connections and sessions: `client` and `queue` records. */
#ifndef RTSP_HELPER_CLIENTS_H
#define RTSP_HELPER_CLIENTS_H

#include "app.h"

/* Follows app->server's clients and sessions; starts the session-pool
 * cleanup and the `queue` timer. Main thread. */
void clients_watch (App * app);
void clients_unwatch (App * app);
/* So that every `connected` record has its `closed` before `bye`. */
void clients_wait_closed (App * app);
/* The viewer whose RTCP comes from address:port: its RTCP port on
 * UDP, its RTSP connection on TCP. Any thread. */
gboolean clients_find_rtcp_sender (App * app, const gchar * address,
    guint port, guint * client_id, const gchar ** transport);

#endif /* RTSP_HELPER_CLIENTS_H */
