#include "client-info.h"
#include "skip.h"
#include "tcp-viewers.h"
#include "viewers.h"

#include <errno.h>
#include <sys/socket.h>

#define QUEUE_INTERVAL_MS 250

/* Bytes the kernel still holds for a TCP viewer: what it cannot take yet;
 * with the bytes the media has sent, what it took since the last sample. */
static gboolean
on_queue_timeout (gpointer user_data)
{
  App *app = user_data;
  GList *viewers = tcp_viewers_list (app, NULL), *walk;

  for (walk = viewers; walk != NULL; walk = walk->next) {
    TcpViewer *viewer = walk->data;
    StreamPosition position = { 0 };
    Record *record;
    gint unsent;

    if (!tcp_viewer_unsent (viewer, &unsent))
      continue;
    if (viewer->measure != NULL)
      measure_position (viewer->measure, &position);

    record = record_new ("queue");
    if (viewer->mount != NULL)
      record_add_string (record, "mount", viewer->mount);
    record_add_int (record, "client_id", viewer->info->id);
    if (viewer->info->address != NULL)
      record_add_string (record, "address", viewer->info->address);
    record_add_int (record, "unsent_bytes", unsent);
    /* What it was offered: its encoder's bytes, less those skipped. */
    if (position.started)
      record_add_int (record, "bytes_sent",
          skip_offered_bytes (app, viewer->info, &position));
    record_emit (&app->protocol, record);
  }
  tcp_viewers_free (viewers);
  return G_SOURCE_CONTINUE;
}

guint
viewers_sample_queues (App * app)
{
  return g_timeout_add (QUEUE_INTERVAL_MS, on_queue_timeout, app);
}

void
viewers_pace_tcp (App * app, guint bitrate_kbps, guint encoder,
    ClientInfo * only)
{
  guint rate = (guint) MIN (G_MAXUINT, bitrate_kbps * 125.0 * TCP_PACING_GAIN);
  GList *sockets = NULL, *walk;

  g_mutex_lock (&app->lock);
  for (walk = app->connections; walk != NULL; walk = walk->next) {
    ClientInfo *info = walk->data;
    GSocket *socket;

    if ((only != NULL ? info != only : info->encoder != encoder)
        || g_strcmp0 (info->transport, "tcp")
        != 0 || (socket = client_info_ref_socket (info, TRUE)) == NULL)
      continue;
    sockets = g_list_prepend (sockets, socket);
  }
  g_mutex_unlock (&app->lock);

  for (walk = sockets; walk != NULL; walk = walk->next)
    if (setsockopt (g_socket_get_fd (walk->data), SOL_SOCKET,
            SO_MAX_PACING_RATE, &rate, sizeof (rate)) != 0)
      g_warning ("could not pace a TCP viewer: %s", g_strerror (errno));
  g_list_free_full (sockets, g_object_unref);
}

gboolean
viewers_find_rtcp_sender (App * app, const gchar * address, guint port,
    RtcpSender * sender)
{
  gboolean found = FALSE;
  GList *walk;

  g_mutex_lock (&app->lock);
  for (walk = app->connections; walk != NULL && !found; walk = walk->next) {
    ClientInfo *info = walk->data;

    if (g_strcmp0 (info->transport, "udp") == 0)
      found = info->rtcp_port == port
          && g_strcmp0 (info->destination, address) == 0;
    else if (g_strcmp0 (info->transport, "tcp") == 0)
      found = info->port == port && g_strcmp0 (info->address, address) == 0;
    if (found) {
      sender->client_id = info->id;
      sender->transport = info->transport;
      sender->positioned = info->positioned;
      sender->play_seq = info->play_seq;
      sender->play_packets = info->play_packets;
    }
  }
  g_mutex_unlock (&app->lock);
  return found;
}
