/* The helper's RTSP server: gst-rtsp-server's, with what the helper adds.
 * It accepts connections itself (server/admission.c: --max-connections),
 * makes each one's client an RtspViewer, reaps sessions, and guards every
 * connection against requests that never end or idle (server/guard.c). */
#ifndef RTSP_HELPER_SERVER_H
#define RTSP_HELPER_SERVER_H

#include <gst/rtsp-server/rtsp-server.h>

#include "viewer/session-pool.h"
#include "viewer/rtsp-viewer.h"

G_BEGIN_DECLS

#define HELPER_TYPE_SERVER (helper_server_get_type ())
G_DECLARE_FINAL_TYPE (HelperServer, helper_server, HELPER, SERVER,
    GstRTSPServer);

typedef struct
{
  const gchar *host;
  gint port;
  guint max_connections;
  TransportPolicy transport_policy;
  GuardLimits guard;
} ServerSettings;

/* `auth` may be NULL: no credentials asked. */
HelperServer *helper_server_new (const ServerSettings * settings,
    Protocol * protocol, Viewers * viewers, const Mounts * mounts,
    HelperSessionPool * sessions, GstRTSPAuth * auth);
/* Binds the port and starts accepting, guarding and reaping. Main thread. */
gboolean helper_server_listen (HelperServer * server, GError ** error);
/* Ends every viewer's sessions and connection. Any thread. */
void helper_server_disconnect_viewers (HelperServer * server);
/* Stops accepting, ends every viewer and waits (bounded) for their
 * connections to close. Main thread. */
void helper_server_stop (HelperServer * server);

/* Clients made that still hold their connection's socket (closed ones
 * let go of it on their own thread). Any thread. */
guint helper_server_live_clients (HelperServer * server);
/* The id the next connection will be known by (`client_id`). */
guint helper_server_next_client_id (HelperServer * server);

G_END_DECLS

#endif /* RTSP_HELPER_SERVER_H */
