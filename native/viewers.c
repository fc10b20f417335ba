#include "client-info.h"
#include "viewers.h"

#include <errno.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#define QUEUE_INTERVAL_MS 250

typedef struct
{
  ClientInfo *info;
  GSocket *socket;
  Measure *measure;             /* its encoder's, once it played */
  const gchar *mount;
} TcpViewer;

static void
tcp_viewer_free (gpointer data)
{
  TcpViewer *viewer = data;

  client_info_release (viewer->info);
  g_object_unref (viewer->socket);
  g_clear_pointer (&viewer->measure, measure_unref);
  g_free (viewer);
}

/* Bytes the kernel still holds for a TCP viewer: what it cannot take yet;
 * with the bytes the media has sent, what it took since the last sample. */
static gboolean
on_queue_timeout (gpointer user_data)
{
  App *app = user_data;
  GList *viewers = NULL, *walk;

  g_mutex_lock (&app->lock);
  for (walk = app->connections; walk != NULL; walk = walk->next) {
    ClientInfo *info = walk->data;
    GSocket *socket;

    if (!info->playing || g_strcmp0 (info->transport, "tcp") != 0)
      continue;
    socket = client_info_ref_socket (info, TRUE);
    if (socket != NULL) {
      TcpViewer *viewer = g_new (TcpViewer, 1);

      viewer->info = g_atomic_rc_box_acquire (info);
      viewer->socket = socket;
      viewer->measure = info->measure == NULL ? NULL :
          measure_ref (info->measure);
      viewer->mount = info->mount;
      viewers = g_list_prepend (viewers, viewer);
    }
  }
  g_mutex_unlock (&app->lock);

  for (walk = viewers; walk != NULL; walk = walk->next) {
    TcpViewer *viewer = walk->data;
    StreamPosition position = { 0 };
    gint unsent;

    if (ioctl (g_socket_get_fd (viewer->socket), SIOCOUTQ, &unsent) == 0) {
      Record *record = record_new ("queue");

      /* Its encoder's bytes: what it was offered. */
      if (viewer->measure != NULL)
        measure_position (viewer->measure, &position);

      if (viewer->mount != NULL)
        record_add_string (record, "mount", viewer->mount);
      record_add_int (record, "client_id", viewer->info->id);
      if (viewer->info->address != NULL)
        record_add_string (record, "address", viewer->info->address);
      record_add_int (record, "unsent_bytes", unsent);
      if (position.started)
        record_add_int (record, "bytes_sent", position.bytes);
      record_emit (&app->protocol, record);
    }
  }
  g_list_free_full (viewers, tcp_viewer_free);
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
