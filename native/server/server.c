#include "server/server.h"

#include "server/admission.h"
#include "server/guard.h"

/* gst-rtsp-server listens with a backlog of 5: a burst of connections
 * would be reset. */
#define LISTEN_BACKLOG 128
/* How long a stop waits for the viewers it closed to go. */
#define CLOSE_TIMEOUT G_TIME_SPAN_SECOND

struct _HelperServer
{
  GstRTSPServer parent;
  ServerSettings settings;
  gchar *host;
  RtspViewerParent viewers_parent;      /* every viewer's */
  Admission *admission;         /* main thread, while listening */
  Guard *guard;

  GMutex lock;                  /* for what follows */
  GCond clients_gone;
  guint live_clients;
};

G_DEFINE_TYPE (HelperServer, helper_server, GST_TYPE_RTSP_SERVER);

/* Any thread: the client's connection, and so its socket, is freed. */
static void
on_client_finalized (gpointer user_data, GObject * client G_GNUC_UNUSED)
{
  HelperServer *server = user_data;

  g_mutex_lock (&server->lock);
  server->live_clients--;
  g_cond_broadcast (&server->clients_gone);
  g_mutex_unlock (&server->lock);
}

/* gst-rtsp-server's default_create_client(), with an RtspViewer. */
static GstRTSPClient *
helper_server_create_client (GstRTSPServer * base)
{
  HelperServer *server = HELPER_SERVER (base);
  GstRTSPClient *client =
      GST_RTSP_CLIENT (rtsp_viewer_new (&server->viewers_parent));
  GstRTSPSessionPool *pool = gst_rtsp_server_get_session_pool (base);
  GstRTSPMountPoints *points = gst_rtsp_server_get_mount_points (base);
  GstRTSPAuth *auth = gst_rtsp_server_get_auth (base);
  GstRTSPThreadPool *threads = gst_rtsp_server_get_thread_pool (base);

  gst_rtsp_client_set_session_pool (client, pool);
  gst_rtsp_client_set_mount_points (client, points);
  gst_rtsp_client_set_content_length_limit (client,
      gst_rtsp_server_get_content_length_limit (base));
  gst_rtsp_client_set_auth (client, auth);
  gst_rtsp_client_set_thread_pool (client, threads);
  g_clear_object (&pool);
  g_clear_object (&points);
  g_clear_object (&auth);
  g_clear_object (&threads);

  g_mutex_lock (&server->lock);
  server->live_clients++;
  g_mutex_unlock (&server->lock);
  g_object_weak_ref (G_OBJECT (client), on_client_finalized, server);
  return client;
}

/* Its connection is set now. Main thread. */
static void
helper_server_client_connected (GstRTSPServer * base G_GNUC_UNUSED,
    GstRTSPClient * client)
{
  rtsp_viewer_attach (RTSP_VIEWER (client));
}

static void
helper_server_finalize (GObject * object)
{
  HelperServer *server = HELPER_SERVER (object);

  g_free (server->host);
  g_mutex_clear (&server->lock);
  g_cond_clear (&server->clients_gone);
  G_OBJECT_CLASS (helper_server_parent_class)->finalize (object);
}

static void
helper_server_class_init (HelperServerClass * klass)
{
  GstRTSPServerClass *server_class = GST_RTSP_SERVER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = helper_server_finalize;
  server_class->create_client = helper_server_create_client;
  server_class->client_connected = helper_server_client_connected;
}

static void
helper_server_init (HelperServer * server)
{
  g_mutex_init (&server->lock);
  g_cond_init (&server->clients_gone);
}

HelperServer *
helper_server_new (const ServerSettings * settings, Protocol * protocol,
    Viewers * viewers, const Mounts * mounts, HelperSessionPool * sessions,
    GstRTSPAuth * auth)
{
  HelperServer *server = g_object_new (HELPER_TYPE_SERVER, NULL);
  GstRTSPServer *base = GST_RTSP_SERVER (server);
  gchar *service = g_strdup_printf ("%d", settings->port);

  server->host = g_strdup (settings->host);
  server->settings = *settings;
  server->settings.host = server->host;
  server->viewers_parent.protocol = protocol;
  server->viewers_parent.viewers = viewers;
  server->viewers_parent.mounts = mounts;
  server->viewers_parent.sessions = sessions;
  server->viewers_parent.transport_policy = settings->transport_policy;
  server->viewers_parent.guard_limits = settings->guard;
  gst_rtsp_server_set_address (base, settings->host);
  gst_rtsp_server_set_service (base, service);
  gst_rtsp_server_set_backlog (base, LISTEN_BACKLOG);
  /* Above it: 413 and a close. Without it, a Content-Length of 4 GB is
   * allocated as soon as the headers arrive. */
  gst_rtsp_server_set_content_length_limit (base, MAX_BODY_BYTES);
  gst_rtsp_server_set_session_pool (base, GST_RTSP_SESSION_POOL (sessions));
  if (auth != NULL)
    gst_rtsp_server_set_auth (base, auth);
  g_free (service);
  return server;
}

gboolean
helper_server_listen (HelperServer * server, GError ** error)
{
  RtspViewerParent *parent = &server->viewers_parent;

  /* Unlike gst_rtsp_server_attach(), says why it could not listen. */
  server->admission = admission_listen (server, parent->protocol,
      parent->viewers, server->settings.max_connections, error);
  if (server->admission == NULL)
    return FALSE;
  server->guard = guard_start (parent->viewers);
  helper_session_pool_start (parent->sessions);
  return TRUE;
}

static GstRTSPFilterResult
remove_session (GstRTSPSessionPool * pool G_GNUC_UNUSED,
    GstRTSPSession * session G_GNUC_UNUSED, gpointer user_data G_GNUC_UNUSED)
{
  return GST_RTSP_FILTER_REMOVE;
}

void
helper_server_disconnect_viewers (HelperServer * server)
{
  RtspViewerParent *parent = &server->viewers_parent;

  /* REMOVE everywhere: the list is empty. */
  g_list_free (gst_rtsp_session_pool_filter (GST_RTSP_SESSION_POOL
          (parent->sessions), remove_session, NULL));
  viewers_disconnect_all (parent->viewers);
}

void
helper_server_stop (HelperServer * server)
{
  gint64 deadline = g_get_monotonic_time () + CLOSE_TIMEOUT;

  g_clear_pointer (&server->admission, admission_free);
  g_clear_pointer (&server->guard, guard_stop);
  helper_session_pool_stop (server->viewers_parent.sessions);
  helper_server_disconnect_viewers (server);
  viewers_wait_empty (server->viewers_parent.viewers, deadline);
}

guint
helper_server_live_clients (HelperServer * server)
{
  guint live;

  g_mutex_lock (&server->lock);
  live = server->live_clients;
  g_mutex_unlock (&server->lock);
  return live;
}

guint
helper_server_next_client_id (HelperServer * server)
{
  return (guint) g_atomic_int_add (&server->viewers_parent.next_id, 1) + 1;
}
