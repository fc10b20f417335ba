#include "main/app.h"

#include "viewer/client-info.h"

void
app_quit (App * app, const gchar * reason, gint exit_code)
{
  if (app->bye_reason == NULL) {
    app->bye_reason = reason;
    app->exit_code = exit_code;
  }
  g_main_loop_quit (app->loop);
}

static GstRTSPFilterResult
remove_session (GstRTSPSessionPool * pool G_GNUC_UNUSED,
    GstRTSPSession * session G_GNUC_UNUSED, gpointer user_data G_GNUC_UNUSED)
{
  return GST_RTSP_FILTER_REMOVE;
}

/* gst_rtsp_client_close() from this thread races with the client's watch on
 * its own thread. Shutting the socket down instead makes the client see
 * EOF and tear itself down there, as when a viewer vanishes. */
static GstRTSPFilterResult
disconnect_client (GstRTSPServer * server G_GNUC_UNUSED,
    GstRTSPClient * client, gpointer user_data)
{
  App *app = user_data;
  ClientInfo *info = g_object_get_data (G_OBJECT (client), CLIENT_INFO_KEY);
  GSocket *socket;

  if (info == NULL)
    return GST_RTSP_FILTER_KEEP;
  g_mutex_lock (&app->lock);
  socket = client_info_ref_socket (info, FALSE);
  g_mutex_unlock (&app->lock);
  if (socket != NULL)
    g_socket_shutdown (socket, TRUE, TRUE, NULL);
  g_clear_object (&socket);
  return GST_RTSP_FILTER_KEEP;
}

void
app_disconnect_viewers (App * app)
{
  GstRTSPSessionPool *pool = gst_rtsp_server_get_session_pool (app->server);

  /* REMOVE and KEEP results are not returned: both lists are empty. */
  g_list_free (gst_rtsp_session_pool_filter (pool, remove_session, NULL));
  g_object_unref (pool);
  g_list_free (gst_rtsp_server_client_filter (app->server, disconnect_client,
          app));
}
