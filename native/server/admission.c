#include "server/admission.h"

#include "viewer/socket-counts.h"

/* Closed connections let go of their sockets on their client's thread,
 * which a flood keeps busy: with --max-connections sockets held and this
 * many of them closing, new connections wait in the listen backlog until
 * they have, so that descriptors stay within --max-connections + this. */
#define MAX_CLOSING 64
#define CLOSING_WAIT_MS 10
/* After a failed accept (out of descriptors, say) the connection waits in
 * the backlog and the socket stays readable: pause rather than spin. */
#define ACCEPT_PAUSE_MS 100

struct _Admission
{
  HelperServer *server;         /* borrowed: it owns the admission */
  Protocol *protocol;
  Viewers *viewers;
  guint max_connections;
  GSocket *listener;
  GSource *listener_source;
  guint pause_timeout;
};

typedef enum
{
  ADMIT,
  ADMIT_EVICTING,               /* after closing *victim */
  REFUSE,
  WAIT,                         /* accept nothing for now */
} Decision;

static Decision
decide (Admission * admission, RtspViewer ** victim)
{
  GList *viewers = viewers_list (admission->viewers);
  RtspViewer *oldest_silent = NULL, *oldest_sessionless = NULL;
  guint open = 0, closing, live;
  Decision decision;

  for (GList * walk = viewers; walk != NULL; walk = walk->next) {
    RtspViewerStanding standing;

    if (!RTSP_IS_VIEWER (walk->data))
      continue;
    rtsp_viewer_standing (walk->data, &standing);
    if (standing.closing)
      continue;
    open++;
    /* Newest first: the last one found is the oldest. */
    if (!standing.sessions) {
      oldest_sessionless = walk->data;
      if (!standing.answered)
        oldest_silent = walk->data;
    }
  }
  if (oldest_silent == NULL)
    oldest_silent = oldest_sessionless;
  if (oldest_silent != NULL)
    g_object_ref (oldest_silent);
  viewers_list_free (viewers);

  /* Closed connections whose client is not finalized yet hold a socket. */
  live = helper_server_live_clients (admission->server);
  closing = live > open ? live - open : 0;
  if (open + closing < admission->max_connections)
    decision = ADMIT;
  else if (closing >= MAX_CLOSING)
    decision = WAIT;
  else if (open < admission->max_connections)
    decision = ADMIT;
  else if (oldest_silent == NULL)
    decision = REFUSE;
  else
    decision = ADMIT_EVICTING;
  if (decision == ADMIT_EVICTING)
    *victim = g_steal_pointer (&oldest_silent);
  g_clear_object (&oldest_silent);
  return decision;
}

/* Closed before gst-rtsp-server saw it: a `rejected` record is all it gets. */
static void
refuse (Admission * admission, GSocket * socket, const gchar * address,
    guint16 port)
{
  Record *record = record_new ("rejected");

  record_add_int (record, "client_id",
      helper_server_next_client_id (admission->server));
  if (address != NULL) {
    record_add_string (record, "address", address);
    record_add_int (record, "port", port);
  }
  record_add_string (record, "reason", "too_many_connections");
  record_emit (admission->protocol, record);
  g_socket_close (socket, NULL);
}

static gboolean on_incoming (GSocket * listener, GIOCondition condition,
    gpointer user_data);

static void
watch_listener (Admission * admission)
{
  admission->listener_source = g_socket_create_source (admission->listener,
      G_IO_IN, NULL);
  g_source_set_callback (admission->listener_source,
      G_SOURCE_FUNC (on_incoming), admission, NULL);
  g_source_attach (admission->listener_source, NULL);
}

static gboolean
on_pause_over (gpointer user_data)
{
  Admission *admission = user_data;

  admission->pause_timeout = 0;
  watch_listener (admission);
  return G_SOURCE_REMOVE;
}

/* From the listener's callback, which then returns G_SOURCE_REMOVE. */
static void
pause_accepting (Admission * admission, guint ms)
{
  g_clear_pointer (&admission->listener_source, g_source_unref);
  admission->pause_timeout = g_timeout_add (ms, on_pause_over, admission);
}

static gboolean
on_incoming (GSocket * listener, GIOCondition condition G_GNUC_UNUSED,
    gpointer user_data)
{
  Admission *admission = user_data;
  RtspViewer *victim = NULL;
  GError *error = NULL;
  gchar *address = NULL;
  guint16 port = 0;
  GSocket *socket;
  Decision decision = decide (admission, &victim);

  if (decision == WAIT) {
    pause_accepting (admission, CLOSING_WAIT_MS);
    return G_SOURCE_REMOVE;
  }

  socket = g_socket_accept (listener, NULL, &error);
  if (socket == NULL)
    goto accept_failed;
  address = socket_peer_of (socket, &port);

  if (victim != NULL) {
    rtsp_viewer_close (victim, "evicted");
    g_object_unref (victim);
  }
  if (decision == REFUSE)
    refuse (admission, socket, address, port);
  else if (!gst_rtsp_server_transfer_connection (GST_RTSP_SERVER
          (admission->server), g_object_ref (socket),
          address != NULL ? address : "", port, NULL))
    goto no_client;
  g_object_unref (socket);
  g_free (address);
  return G_SOURCE_CONTINUE;

  /* ERRORS */
no_client:
  {
    gchar *message = g_strdup_printf ("could not make an RTSP client of the "
        "connection from %s:%u", address != NULL ? address : "?", port);

    /* gst-rtsp-server has dropped the socket it was given. */
    protocol_emit_error (admission->protocol, "internal", message, NULL);
    g_free (message);
    g_object_unref (socket);
    g_free (address);
    return G_SOURCE_CONTINUE;
  }
accept_failed:
  {
    gboolean transient = g_error_matches (error, G_IO_ERROR,
        G_IO_ERROR_WOULD_BLOCK);

    g_clear_object (&victim);
    if (!transient) {
      gchar *message = g_strdup_printf ("accept: %s; pausing accepts for "
          "%d ms", error->message, ACCEPT_PAUSE_MS);

      protocol_emit_error (admission->protocol, "internal", message, NULL);
      g_free (message);
      pause_accepting (admission, ACCEPT_PAUSE_MS);
    }
    g_error_free (error);
    return transient ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
  }
}

Admission *
admission_listen (HelperServer * server, Protocol * protocol,
    Viewers * viewers, guint max_connections, GError ** error)
{
  GSocket *listener = gst_rtsp_server_create_socket (GST_RTSP_SERVER (server),
      NULL, error);
  Admission *admission;

  if (listener == NULL)
    return NULL;
  admission = g_new0 (Admission, 1);
  admission->server = server;
  admission->protocol = protocol;
  admission->viewers = viewers;
  admission->max_connections = max_connections;
  admission->listener = listener;
  watch_listener (admission);
  return admission;
}

void
admission_free (Admission * admission)
{
  g_clear_handle_id (&admission->pause_timeout, g_source_remove);
  if (admission->listener_source != NULL) {
    g_source_destroy (admission->listener_source);
    g_source_unref (admission->listener_source);
  }
  g_object_unref (admission->listener);
  g_free (admission);
}
