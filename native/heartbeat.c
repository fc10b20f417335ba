#include "heartbeat.h"

#define HEARTBEAT_INTERVAL_S 1

/* Proves the main loop runs even when nothing else happens (the
 * supervisor's watchdog), and counts what is open. */
static gboolean
on_heartbeat (gpointer user_data)
{
  App *app = user_data;
  GstRTSPSessionPool *pool = gst_rtsp_server_get_session_pool (app->server);
  Record *record = record_new ("heartbeat");
  guint connections;

  g_mutex_lock (&app->lock);
  connections = app->open_clients;
  g_mutex_unlock (&app->lock);
  record_add_int (record, "t_us", g_get_monotonic_time ());
  record_add_int (record, "connections", connections);
  record_add_int (record, "sessions",
      gst_rtsp_session_pool_get_n_sessions (pool));
  record_emit (&app->protocol, record);
  g_object_unref (pool);
  return G_SOURCE_CONTINUE;
}

guint
heartbeat_start (App * app)
{
  return g_timeout_add_seconds (HEARTBEAT_INTERVAL_S, on_heartbeat, app);
}
