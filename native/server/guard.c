#include "server/guard.h"

#include "viewer/rtsp-viewer.h"

#define CHECK_INTERVAL_MS 100

struct _Guard
{
  Viewers *viewers;
  guint timeout;
};

static gboolean
on_check (gpointer user_data)
{
  Guard *guard = user_data;
  GList *viewers = viewers_list (guard->viewers);
  gint64 now = g_get_monotonic_time ();

  for (GList * walk = viewers; walk != NULL; walk = walk->next) {
    const gchar *reason;

    if (!RTSP_IS_VIEWER (walk->data))
      continue;
    reason = rtsp_viewer_check_connection (walk->data, now);
    if (reason != NULL)
      rtsp_viewer_close (walk->data, reason);
  }
  viewers_list_free (viewers);
  return G_SOURCE_CONTINUE;
}

Guard *
guard_start (Viewers * viewers)
{
  Guard *guard = g_new0 (Guard, 1);

  guard->viewers = viewers;
  guard->timeout = g_timeout_add (CHECK_INTERVAL_MS, on_check, guard);
  return guard;
}

void
guard_stop (Guard * guard)
{
  g_source_remove (guard->timeout);
  g_free (guard);
}
