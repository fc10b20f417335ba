#include "link/heartbeat.h"

#include <malloc.h>

#define HEARTBEAT_INTERVAL_S 1

/* Proves the main loop runs even when nothing else happens (the
 * supervisor's watchdog), and counts what is open. After a media ended it
 * also hands freed memory back: glibc's mmap threshold rises to the
 * largest block freed, so frames come from the heap, where what an ended
 * media freed would stay (36 short viewers: 136 MB kept, 83 MB with the
 * trim; docs/benchmarks.md, "malloc_trim"). A threshold fixed below a
 * frame's size instead made every frame an mmap whose pages fault in: 20 %
 * of a core for the decode of one 1280x720 file. Not every second: a trim
 * walks the whole heap, and little else frees much. */
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
  if (g_atomic_int_compare_and_exchange (&app->trim_pending, TRUE, FALSE))
    malloc_trim (0);
  return G_SOURCE_CONTINUE;
}

guint
heartbeat_start (App * app)
{
  return g_timeout_add_seconds (HEARTBEAT_INTERVAL_S, on_heartbeat, app);
}

void
heartbeat_trim_soon (App * app)
{
  g_atomic_int_set (&app->trim_pending, TRUE);
}
