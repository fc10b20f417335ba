#include "viewer/client-info.h"
#include "feedback/rtcp-gate.h"
#include "viewer/skip.h"
#include "viewer/tcp-viewers.h"
#include "viewer/viewers.h"

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

/* Under app->lock: the viewer whose RTCP comes from address:port (its RTCP
 * port on UDP, its RTSP connection on TCP). */
static ClientInfo *
find_rtcp_sender (App * app, const gchar * address, guint port)
{
  for (GList * walk = app->connections; walk != NULL; walk = walk->next) {
    ClientInfo *info = walk->data;

    if (g_strcmp0 (info->transport, "udp") == 0 ? info->rtcp_port == port
        && g_strcmp0 (info->destination, address) == 0
        : g_strcmp0 (info->transport, "tcp") == 0 && info->port == port
        && g_strcmp0 (info->address, address) == 0)
      return info;
  }
  return NULL;
}

RtcpAdmission
viewers_admit_rtcp (App * app, const gchar * address, guint port,
    gsize bytes)
{
  gint64 now = g_get_monotonic_time ();
  RtcpAdmission admission = RTCP_FROM_STRANGER;
  ClientInfo *info;

  g_mutex_lock (&app->lock);
  info = find_rtcp_sender (app, address, port);
  if (info != NULL) {
    /* Its `$`, channel and length, then the packet. */
    if (g_strcmp0 (info->transport, "tcp") == 0)
      info->interleaved_bytes += 4 + bytes;
    if (info->rtcp_refilled_us == 0)
      info->rtcp_tokens = RTCP_GATE_BURST;
    else
      info->rtcp_tokens = MIN (RTCP_GATE_BURST, info->rtcp_tokens
          + (gdouble) (now - info->rtcp_refilled_us) * RTCP_GATE_RATE
          / G_USEC_PER_SEC);
    info->rtcp_refilled_us = now;
    admission = info->rtcp_tokens >= 1 ? RTCP_ADMITTED : RTCP_OVER_RATE;
    if (admission == RTCP_ADMITTED)
      info->rtcp_tokens -= 1;
  }
  g_mutex_unlock (&app->lock);
  return admission;
}

gboolean
viewers_find_rtcp_sender (App * app, const gchar * address, guint port,
    RtcpSender * sender)
{
  ClientInfo *info;

  g_mutex_lock (&app->lock);
  info = find_rtcp_sender (app, address, port);
  if (info != NULL) {
    sender->client_id = info->id;
    sender->transport = info->transport;
    sender->positioned = info->positioned;
    sender->play_seq = info->play_seq;
    sender->play_packets = info->play_packets;
  }
  g_mutex_unlock (&app->lock);
  return info != NULL;
}
