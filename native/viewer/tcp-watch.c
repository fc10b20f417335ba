#include "viewer/tcp-watch.h"

#include "viewer/rtsp-viewer.h"

/* Once the socket of a viewer that cannot take the stream is full,
 * gst-rtsp-server queues for it, and while it is the media's only TCP
 * viewer it stops taking the media's packets for every viewer: the check
 * must be quick. */
#define SKIP_INTERVAL_MS 100
#define QUEUE_INTERVAL_MS 250

struct _TcpWatch
{
  Viewers *viewers;
  guint skip_timeout;
  guint queue_timeout;
};

static void
sample (TcpWatch * watch, RtspViewerTcpSample what)
{
  GList *viewers = viewers_list (watch->viewers);

  for (GList * walk = viewers; walk != NULL; walk = walk->next)
    if (RTSP_IS_VIEWER (walk->data))
      rtsp_viewer_sample_tcp (walk->data, what);
  viewers_list_free (viewers);
}

static gboolean
on_skip_check (gpointer user_data)
{
  sample (user_data, RTSP_VIEWER_TCP_SKIP);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_queue_record (gpointer user_data)
{
  sample (user_data, RTSP_VIEWER_TCP_QUEUE);
  return G_SOURCE_CONTINUE;
}

TcpWatch *
tcp_watch_start (Viewers * viewers)
{
  TcpWatch *watch = g_new0 (TcpWatch, 1);

  watch->viewers = viewers;
  watch->skip_timeout = g_timeout_add (SKIP_INTERVAL_MS, on_skip_check, watch);
  watch->queue_timeout = g_timeout_add (QUEUE_INTERVAL_MS, on_queue_record,
      watch);
  return watch;
}

void
tcp_watch_stop (TcpWatch * watch)
{
  g_source_remove (watch->skip_timeout);
  g_source_remove (watch->queue_timeout);
  g_free (watch);
}
