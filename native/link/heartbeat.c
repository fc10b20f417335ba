#include "link/heartbeat.h"

#include <malloc.h>

#define HEARTBEAT_INTERVAL_S 1

struct _Heartbeat
{
  Protocol *protocol;
  Viewers *viewers;
  GstRTSPSessionPool *sessions;
  guint timeout;
  gint trim_pending;            /* atomic */
};

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
  Heartbeat *heartbeat = user_data;
  Record *record = record_new ("heartbeat");

  record_add_int (record, "t_us", g_get_monotonic_time ());
  record_add_int (record, "connections", viewers_count (heartbeat->viewers));
  record_add_int (record, "sessions",
      gst_rtsp_session_pool_get_n_sessions (heartbeat->sessions));
  record_emit (heartbeat->protocol, record);
  if (g_atomic_int_compare_and_exchange (&heartbeat->trim_pending, TRUE, FALSE))
    malloc_trim (0);
  return G_SOURCE_CONTINUE;
}

Heartbeat *
heartbeat_new (Protocol * protocol, Viewers * viewers,
    GstRTSPSessionPool * sessions)
{
  Heartbeat *heartbeat = g_new0 (Heartbeat, 1);

  heartbeat->protocol = protocol;
  heartbeat->viewers = viewers;
  heartbeat->sessions = g_object_ref (sessions);
  return heartbeat;
}

void
heartbeat_start (Heartbeat * heartbeat)
{
  heartbeat->timeout = g_timeout_add_seconds (HEARTBEAT_INTERVAL_S,
      on_heartbeat, heartbeat);
}

void
heartbeat_stop (Heartbeat * heartbeat)
{
  g_clear_handle_id (&heartbeat->timeout, g_source_remove);
}

void
heartbeat_trim_soon (Heartbeat * heartbeat)
{
  g_atomic_int_set (&heartbeat->trim_pending, TRUE);
}
