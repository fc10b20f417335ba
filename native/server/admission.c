#include "server/admission.h"

#include "server/guard.h"
#include "server/rejected.h"

/* Closed connections let go of their sockets on their client's thread,
 * which a flood keeps busy: with --max-connections sockets held and this
 * many of them closing, new connections wait in the listen backlog until
 * they have, so that descriptors stay within --max-connections + this. */
#define MAX_CLOSING 64
#define CLOSING_WAIT_MS 10
/* After a failed accept (out of descriptors, say) the connection waits in
 * the backlog and the socket stays readable: pause rather than spin. */
#define ACCEPT_PAUSE_MS 100

typedef enum
{
  ADMIT,
  ADMIT_EVICTING,               /* after closing *victim */
  REFUSE,
  WAIT,                         /* accept nothing for now */
} Admission;

/* Beyond --max-connections, the oldest connection without a session makes
 * room, preferably one that has had no answer yet: a viewer holds a
 * session, and an idle or slowloris connection has had no answer. */
static Admission
decide_admission (App * app, ClientInfo ** victim)
{
  ClientInfo *oldest_silent = NULL, *oldest_sessionless = NULL;
  guint open = 0, closing;

  for (GList * walk = app->connections; walk != NULL; walk = walk->next) {
    ClientInfo *other = walk->data;

    if (other->closing)
      continue;
    open++;
    /* Newest first: the last one found is the oldest. */
    if (other->sessions == 0) {
      oldest_sessionless = other;
      if (other->answers == 0)
        oldest_silent = other;
    }
  }
  /* Closed connections whose client is not finalized yet hold a socket. */
  closing = app->live_clients > open ? app->live_clients - open : 0;
  if (open + closing < (guint) app->config.max_connections)
    return ADMIT;
  if (closing >= MAX_CLOSING)
    return WAIT;
  if (open < (guint) app->config.max_connections)
    return ADMIT;
  if (oldest_silent == NULL)
    oldest_silent = oldest_sessionless;
  if (oldest_silent == NULL)
    return REFUSE;
  *victim = g_atomic_rc_box_acquire (oldest_silent);
  return ADMIT_EVICTING;
}

/* Closed before gst-rtsp-server saw it: a `rejected` record is all it gets. */
static void
refuse (App * app, GSocket * socket, gchar * address, guint16 port)
{
  ClientInfo refused = {.id = ++app->next_client_id,.address = address,
    .port = port
  };

  rejected_emit (app, &refused, "too_many_connections", 0, NULL, NULL);
  g_socket_close (socket, NULL);
}

static gboolean on_incoming (GSocket * listener, GIOCondition condition,
    gpointer user_data);

static void
watch_listener (App * app)
{
  app->listener_source = g_socket_create_source (app->listener, G_IO_IN,
      NULL);
  g_source_set_callback (app->listener_source, G_SOURCE_FUNC (on_incoming), app,
      NULL);
  g_source_attach (app->listener_source, NULL);
}

static gboolean
on_accept_pause_over (gpointer user_data)
{
  App *app = user_data;

  app->accept_pause_timeout = 0;
  watch_listener (app);
  return G_SOURCE_REMOVE;
}

/* From the listener's callback, which then returns G_SOURCE_REMOVE. */
static void
pause_accepting (App * app, guint ms)
{
  g_clear_pointer (&app->listener_source, g_source_unref);
  app->accept_pause_timeout = g_timeout_add (ms, on_accept_pause_over, app);
}

static gboolean
on_incoming (GSocket * listener, GIOCondition condition G_GNUC_UNUSED,
    gpointer user_data)
{
  App *app = user_data;
  GError *error = NULL;
  GSocket *socket;
  gchar *address = NULL;
  guint16 port = 0;
  ClientInfo *victim = NULL;
  Admission admission;

  g_mutex_lock (&app->lock);
  admission = decide_admission (app, &victim);
  g_mutex_unlock (&app->lock);
  if (admission == WAIT) {
    pause_accepting (app, CLOSING_WAIT_MS);
    return G_SOURCE_REMOVE;
  }

  socket = g_socket_accept (listener, NULL, &error);
  if (socket == NULL)
    goto accept_failed;
  address = client_info_peer_of (socket, &port);

  if (victim != NULL) {
    guard_close (app, victim, "evicted");
    client_info_release (victim);
  }
  if (admission == REFUSE)
    refuse (app, socket, address, port);
  else if (!gst_rtsp_server_transfer_connection (app->server,
          g_object_ref (socket), address != NULL ? address : "", port, NULL))
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
    protocol_emit_error (&app->protocol, "internal", message, NULL);
    g_free (message);
    g_object_unref (socket);
    g_free (address);
    return G_SOURCE_CONTINUE;
  }
accept_failed:
  {
    gboolean transient = g_error_matches (error, G_IO_ERROR,
        G_IO_ERROR_WOULD_BLOCK);

    if (victim != NULL)
      client_info_release (victim);
    if (!transient) {
      gchar *message = g_strdup_printf ("accept: %s; pausing accepts for "
          "%d ms", error->message, ACCEPT_PAUSE_MS);

      protocol_emit_error (&app->protocol, "internal", message, NULL);
      g_free (message);
      pause_accepting (app, ACCEPT_PAUSE_MS);
    }
    g_error_free (error);
    return transient ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
  }
}

gboolean
admission_listen (App * app, GError ** error)
{
  app->listener = gst_rtsp_server_create_socket (app->server, NULL, error);
  if (app->listener == NULL)
    return FALSE;
  watch_listener (app);
  return TRUE;
}

void
admission_unlisten (App * app)
{
  g_clear_handle_id (&app->accept_pause_timeout, g_source_remove);
  if (app->listener_source != NULL) {
    g_source_destroy (app->listener_source);
    g_clear_pointer (&app->listener_source, g_source_unref);
  }
  g_clear_object (&app->listener);
}
