#include "guard.h"

#include <stddef.h>
#include <netinet/in.h>
#include <linux/tcp.h>
#include <sys/socket.h>

#include "rejected.h"

#define CHECK_INTERVAL_MS 100
/* A request must be whole this long after its first byte (or within the
 * idle timeout, if shorter): slowloris. */
#define MAX_REQUEST_SECONDS 10
/* A TCP viewer also sends its RTCP on the connection, bytes that are no
 * request: receiver reports of ~100 bytes every few seconds. */
#define INTERLEAVED_RTCP_ALLOWANCE_BPS 256

/* What the kernel has received on the connection so far. gst-rtsp-server
 * reads a request whole before anyone sees it, and keeps every header line
 * of it in memory: this count is how a request that never ends is seen. */
static gboolean
bytes_received (GSocket * socket, guint64 * bytes)
{
  struct tcp_info tcp;
  socklen_t length = sizeof tcp;

  if (getsockopt (g_socket_get_fd (socket), IPPROTO_TCP, TCP_INFO, &tcp,
          &length) != 0)
    return FALSE;
  if (length < offsetof (struct tcp_info, tcpi_bytes_received)
      + sizeof tcp.tcpi_bytes_received)
    return FALSE;
  *bytes = tcp.tcpi_bytes_received;
  return TRUE;
}

void
guard_close (App * app, ClientInfo * info, const gchar * reason)
{
  GSocket *socket;
  gboolean first;

  g_mutex_lock (&app->lock);
  first = !info->closing;
  info->closing = TRUE;
  socket = client_info_ref_socket (info, FALSE);
  g_mutex_unlock (&app->lock);
  /* Before the shutdown, which makes the client thread emit `closed`. */
  if (first)
    rejected_emit (app, info, reason, 0, NULL);
  if (socket != NULL)
    g_socket_shutdown (socket, TRUE, TRUE, NULL);
  g_clear_object (&socket);
}

/* Evicted connections close on their client's thread, which a flood keeps
 * busy: past this many closing (their sockets still open), new connections
 * are refused at once, so that descriptors stay within --max-connections +
 * this. */
#define MAX_CLOSING 64
#define ACCEPT_PAUSE_MS 100

typedef enum
{
  ADMIT,
  ADMIT_EVICTING,               /* after closing *victim */
  REFUSE,
} Admission;

static Admission
decide_admission (App * app, ClientInfo ** victim)
{
  ClientInfo *oldest_silent = NULL;
  guint open = 0, closing;

  for (GList * walk = app->connections; walk != NULL; walk = walk->next) {
    ClientInfo *other = walk->data;

    if (other->closing)
      continue;
    open++;
    /* Newest first: the last one found is the oldest. */
    if (other->answers == 0 && other->sessions == 0)
      oldest_silent = other;
  }
  closing = app->live_clients - open;
  if (open < (guint) app->config.max_connections)
    return ADMIT;
  if (oldest_silent == NULL || closing >= MAX_CLOSING)
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

  rejected_emit (app, &refused, "too_many_connections", 0, NULL);
  g_socket_close (socket, NULL);
}

static gboolean on_incoming (GSocket * listener, GIOCondition condition,
    gpointer user_data);

static gboolean
on_accept_pause_over (gpointer user_data)
{
  App *app = user_data;

  app->listener_source = g_socket_create_source (app->listener, G_IO_IN,
      NULL);
  g_source_set_callback (app->listener_source, G_SOURCE_FUNC (on_incoming), app,
      NULL);
  g_source_attach (app->listener_source, NULL);
  return G_SOURCE_REMOVE;
}

static gboolean
on_incoming (GSocket * listener, GIOCondition condition G_GNUC_UNUSED,
    gpointer user_data)
{
  App *app = user_data;
  GError *error = NULL;
  GSocket *socket = g_socket_accept (listener, NULL, &error);
  GSocketAddress *remote;
  gchar *address = NULL;
  guint16 port = 0;
  ClientInfo *victim = NULL;
  Admission admission;

  if (socket == NULL)
    goto accept_failed;
  remote = g_socket_get_remote_address (socket, NULL);
  if (remote != NULL && G_IS_INET_SOCKET_ADDRESS (remote)) {
    GInetSocketAddress *inet = G_INET_SOCKET_ADDRESS (remote);

    address = g_inet_address_to_string (g_inet_socket_address_get_address
        (inet));
    port = g_inet_socket_address_get_port (inet);
  }
  g_clear_object (&remote);

  g_mutex_lock (&app->lock);
  admission = decide_admission (app, &victim);
  g_mutex_unlock (&app->lock);
  if (victim != NULL) {
    guard_close (app, victim, "evicted");
    client_info_release (victim);
  }
  if (admission == REFUSE)
    refuse (app, socket, address, port);
  else
    /* Takes the socket; a failure is logged by gst-rtsp-server. */
    gst_rtsp_server_transfer_connection (app->server, g_object_ref (socket),
        address != NULL ? address : "", port, NULL);
  g_object_unref (socket);
  g_free (address);
  return G_SOURCE_CONTINUE;

  /* ERRORS */
accept_failed:
  {
    gboolean transient = g_error_matches (error, G_IO_ERROR,
        G_IO_ERROR_WOULD_BLOCK);

    /* Out of descriptors, say: the connection waits in the backlog and the
     * socket stays readable; pause rather than spin. */
    if (!transient) {
      gchar *message = g_strdup_printf ("accept: %s; pausing accepts for "
          "%d ms", error->message, ACCEPT_PAUSE_MS);

      protocol_emit_error (&app->protocol, "internal", message, NULL);
      g_free (message);
      g_clear_pointer (&app->listener_source, g_source_unref);
      g_timeout_add (ACCEPT_PAUSE_MS, on_accept_pause_over, app);
    }
    g_error_free (error);
    return transient ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
  }
}

/* Why the connection should be closed now, or NULL. Under app->lock. */
static const gchar *
check_connection (App * app, ClientInfo * info, gint64 now)
{
  const HelperConfig *config = &app->config;
  gint64 idle_us = config->idle_timeout * G_USEC_PER_SEC;
  gint64 request_us = MIN (config->idle_timeout, MAX_REQUEST_SECONDS)
      * G_USEC_PER_SEC;
  gboolean tcp_viewer = info->sessions > 0
      && g_strcmp0 (info->transport, "tcp") == 0;
  guint64 received, unanswered, allowance = 0;

  if (info->socket == NULL || !bytes_received (info->socket, &received))
    return NULL;
  if (received != info->checked_bytes || info->active_us == 0) {
    info->checked_bytes = received;
    info->active_us = now;
  }
  unanswered = received > info->answered_bytes
      ? received - info->answered_bytes : 0;
  if (tcp_viewer)
    allowance = INTERLEAVED_RTCP_ALLOWANCE_BPS
        * (guint64) (now - info->answered_us) / G_USEC_PER_SEC;
  if (unanswered > MAX_HEAD_BYTES + MAX_BODY_BYTES + allowance)
    return "request_too_large";

  /* A request is under way from the first check that sees its bytes to
   * the next answer. A TCP viewer's RTCP cannot be told from it. */
  if (info->answers != info->checked_answers || unanswered == 0 || tcp_viewer) {
    info->checked_answers = info->answers;
    info->unanswered_since_us = unanswered > 0 && !tcp_viewer ? now : 0;
  } else if (info->unanswered_since_us == 0) {
    info->unanswered_since_us = now;
  } else if (now - info->unanswered_since_us >= request_us) {
    return "request_timeout";
  }

  /* Idle: nothing sent, nothing answered. A viewer's connection may idle
   * for as long as its session lives. */
  if (info->sessions == 0
      && now - MAX (info->answered_us, info->active_us) >= idle_us)
    return "idle_timeout";
  return NULL;
}

static gboolean
on_check (gpointer user_data)
{
  App *app = user_data;
  gint64 now = g_get_monotonic_time ();
  GList *doomed = NULL;
  GList *reasons = NULL;

  g_mutex_lock (&app->lock);
  for (GList * walk = app->connections; walk != NULL; walk = walk->next) {
    ClientInfo *info = walk->data;
    const gchar *reason = info->closing ? NULL
        : check_connection (app, info, now);

    if (reason != NULL) {
      doomed = g_list_prepend (doomed, g_atomic_rc_box_acquire (info));
      reasons = g_list_prepend (reasons, (gpointer) reason);
    }
  }
  g_mutex_unlock (&app->lock);

  for (GList * info = doomed, *reason = reasons; info != NULL;
      info = info->next, reason = reason->next)
    guard_close (app, info->data, reason->data);
  g_list_free_full (doomed, client_info_release);
  g_list_free (reasons);
  return G_SOURCE_CONTINUE;
}

gboolean
guard_listen (App * app, GError ** error)
{
  app->listener = gst_rtsp_server_create_socket (app->server, NULL, error);
  if (app->listener == NULL)
    return FALSE;
  on_accept_pause_over (app);
  app->guard_timeout = g_timeout_add (CHECK_INTERVAL_MS, on_check, app);
  return TRUE;
}

void
guard_unlisten (App * app)
{
  if (app->listener_source != NULL) {
    g_source_destroy (app->listener_source);
    g_clear_pointer (&app->listener_source, g_source_unref);
  }
  g_clear_object (&app->listener);
  if (app->guard_timeout != 0)
    g_source_remove (app->guard_timeout);
  app->guard_timeout = 0;
}

void
guard_note_answer (App * app, ClientInfo * info)
{
  GSocket *socket;
  guint64 bytes = 0;
  gboolean known;

  g_mutex_lock (&app->lock);
  socket = client_info_ref_socket (info, FALSE);
  g_mutex_unlock (&app->lock);
  known = socket != NULL && bytes_received (socket, &bytes);
  g_clear_object (&socket);

  g_mutex_lock (&app->lock);
  info->answers++;
  info->answered_us = g_get_monotonic_time ();
  if (known)
    info->answered_bytes = bytes;
  g_mutex_unlock (&app->lock);
}


