#include "viewer/client-info.h"
#include "viewer/client-records.h"
#include "viewer/clients.h"
#include "feedback/feedback-offer.h"
#include "link/heartbeat.h"
#include "mount/mount-factory.h"
#include "server/requests.h"
#include "viewer/sessions.h"
#include "viewer/skip.h"
#include "viewer/viewers.h"

/* How long a stop waits for the `closed` records of viewers it closed. */
#define CLOSE_TIMEOUT G_TIME_SPAN_SECOND
/* How long a closed TCP viewer's client outlives its connection. */
#define TCP_CLIENT_LINGER_MS 1000

static gboolean
release_client (gpointer client)
{
  g_object_unref (client);
  return G_SOURCE_REMOVE;
}

/* gst-rtsp-server 1.22 hands interleaved (TCP) transports a pointer to the
 * client without a reference, and a media's send thread may still be
 * sending to a snapshot of them after the session ended. Kept alive a
 * little longer, the client takes such sends as no-ops, not freed memory. */
static void
linger_if_tcp (App * app, GstRTSPClient * client, ClientInfo * info)
{
  gboolean tcp;

  g_mutex_lock (&app->lock);
  tcp = g_strcmp0 (info->transport, "tcp") == 0;
  g_mutex_unlock (&app->lock);
  if (tcp)
    g_timeout_add (TCP_CLIENT_LINGER_MS, release_client,
        g_object_ref (client));
}

/* The callbacks below run on the client's own thread. */
static void
on_client_closed (GstRTSPClient * client, gpointer user_data)
{
  App *app = user_data;
  ClientInfo *info = g_object_get_data (G_OBJECT (client), CLIENT_INFO_KEY);
  GList *link;

  if (info == NULL)
    return;
  skip_forget (app, info);
  linger_if_tcp (app, client, info);
  sessions_end_owned (client, info);
  client_records_emit (app, "closed", info);

  g_mutex_lock (&app->lock);
  g_clear_object (&info->socket);
  g_clear_object (&info->write_socket);
  link = g_list_find (app->connections, info);
  if (link != NULL) {
    app->connections = g_list_delete_link (app->connections, link);
    client_info_release (info);
  }
  if (--app->open_clients == 0)
    g_cond_broadcast (&app->clients_closed);
  g_mutex_unlock (&app->lock);
}

/* Under app->lock: the encoder it plays, and where its stream stood. */
static void
note_play_position (ClientInfo * info, const EncoderRef * encoder)
{
  StreamPosition position = { 0 };

  measure_position (encoder->measure, &position);
  info->encoder = encoder->id;
  info->mount = encoder->mount;
  info->measure = measure_ref (encoder->measure);
  info->positioned = TRUE;
  info->play_seq = position.next_seq;
  info->play_packets = position.started ? position.packets : 0;
}

/* After the PLAY response is sent. */
static void
on_play_request (GstRTSPClient * client, GstRTSPContext * ctx,
    gpointer user_data)
{
  App *app = user_data;
  ClientInfo *info = g_object_get_data (G_OBJECT (client), CLIENT_INFO_KEY);
  GstRTSPStreamTransport *stream_transport;
  const GstRTSPTransport *transport;
  GstRTSPMedia *media;
  gboolean started, known;
  EncoderRef encoder = { 0 };

  if (info == NULL || ctx->sessmedia == NULL)
    return;
  stream_transport = gst_rtsp_session_media_get_transport (ctx->sessmedia, 0);
  if (stream_transport == NULL)
    return;
  transport = gst_rtsp_stream_transport_get_transport (stream_transport);
  media = gst_rtsp_session_media_get_media (ctx->sessmedia);
  known = mount_factory_encoder_of (media, &encoder);

  g_mutex_lock (&app->lock);
  if (!info->positioned && known)
    note_play_position (info, &encoder);
  if (transport->lower_transport & GST_RTSP_LOWER_TRANS_TCP) {
    info->transport = "tcp";
  } else {
    info->transport = "udp";
    g_free (info->destination);
    info->destination = g_strdup (transport->destination);
    info->rtcp_port = transport->client_port.max;
  }
  started = !info->playing;
  info->playing = TRUE;
  /* An adaptive encoder follows its viewer instead. */
  if (started && known && !encoder.adaptive
      && (transport->lower_transport & GST_RTSP_LOWER_TRANS_TCP))
    skip_allow (info, media, stream_transport, encoder.bitrate_kbps);
  g_mutex_unlock (&app->lock);
  g_clear_pointer (&encoder.measure, measure_unref);

  if (started && encoder.adaptive)
    viewers_pace_tcp (app, encoder.bitrate_kbps, 0, info);
  if (started)
    client_records_emit (app, "playing", info);
}

static void
on_teardown_request (GstRTSPClient * client, GstRTSPContext * ctx G_GNUC_UNUSED,
    gpointer user_data)
{
  App *app = user_data;
  ClientInfo *info = g_object_get_data (G_OBJECT (client), CLIENT_INFO_KEY);

  if (info == NULL)
    return;
  skip_forget (app, info);
  client_records_stop_playing (app, info);
  client_records_emit (app, "teardown", info);
}

/* Any thread: the client's connection, and so its socket, is freed. */
static void
on_client_finalized (gpointer user_data, GObject * client G_GNUC_UNUSED)
{
  App *app = user_data;

  g_mutex_lock (&app->lock);
  app->live_clients--;
  g_mutex_unlock (&app->lock);
}

static void
on_client_connected (GstRTSPServer * server G_GNUC_UNUSED,
    GstRTSPClient * client, gpointer user_data)
{
  App *app = user_data;
  ClientInfo *info = g_atomic_rc_box_new0 (ClientInfo);
  GstRTSPConnection *connection = gst_rtsp_client_get_connection (client);
  GSocket *socket = NULL;
  guint16 port = 0;

  info->id = ++app->next_client_id;
  info->answered_us = g_get_monotonic_time ();
  if (connection != NULL) {
    GSocket *write_socket = gst_rtsp_connection_get_write_socket (connection);

    socket = gst_rtsp_connection_get_read_socket (connection);
    if (write_socket != NULL)
      info->write_socket = g_object_ref (write_socket);
  }
  if (socket != NULL) {
    info->socket = g_object_ref (socket);
    info->address = client_info_peer_of (socket, &port);
    info->port = port;
  }

  g_object_set_data_full (G_OBJECT (client), CLIENT_INFO_KEY, info,
      client_info_release);
  g_mutex_lock (&app->lock);
  app->open_clients++;
  app->live_clients++;
  app->connections = g_list_prepend (app->connections,
      g_atomic_rc_box_acquire (info));
  g_mutex_unlock (&app->lock);
  g_object_weak_ref (G_OBJECT (client), on_client_finalized, app);
  requests_watch_client (app, client);
  sessions_watch_client (app, client);
  feedback_offer_watch_client (app, client);
  g_signal_connect (client, "closed", G_CALLBACK (on_client_closed), app);
  g_signal_connect (client, "play-request", G_CALLBACK (on_play_request),
      app);
  g_signal_connect (client, "teardown-request",
      G_CALLBACK (on_teardown_request), app);
  client_records_emit (app, "connected", info);
}

void
clients_watch (App * app)
{
  g_signal_connect (app->server, "client-connected",
      G_CALLBACK (on_client_connected), app);
  sessions_watch (app);
  app->heartbeat_timeout = heartbeat_start (app);
  app->queue_timeout = viewers_sample_queues (app);
  app->skip_timeout = skip_watch (app);
}

void
clients_unwatch (App * app)
{
  sessions_unwatch (app);
  g_clear_handle_id (&app->queue_timeout, g_source_remove);
  g_clear_handle_id (&app->skip_timeout, g_source_remove);
  g_clear_handle_id (&app->heartbeat_timeout, g_source_remove);
}

void
clients_wait_closed (App * app)
{
  gint64 deadline = g_get_monotonic_time () + CLOSE_TIMEOUT;

  g_mutex_lock (&app->lock);
  while (app->open_clients > 0
      && g_cond_wait_until (&app->clients_closed, &app->lock, deadline));
  g_mutex_unlock (&app->lock);
}

