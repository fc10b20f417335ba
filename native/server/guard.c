#include "server/guard.h"

#include <stddef.h>
#include <netinet/in.h>
#include <linux/sockios.h>
#include <linux/tcp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "server/rejected.h"

#define CHECK_INTERVAL_MS 100
/* gst-rtsp-server writes an answer after its send-message signal, on the
 * client thread: closing then would lose it. */
#define ANSWER_LEAVES_MS 200
/* A request must be whole this long after its first byte (or within the
 * idle timeout, if shorter): slowloris. */
#define MAX_REQUEST_SECONDS 10

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

/* Of those, what gst-rtsp-server has read: the rest still waits in the
 * kernel, and is not part of a request it has seen. */
static gboolean
bytes_read (GSocket * socket, guint64 * bytes)
{
  gint unread;

  if (!bytes_received (socket, bytes)
      || ioctl (g_socket_get_fd (socket), SIOCINQ, &unread) != 0)
    return FALSE;
  *bytes -= MIN ((guint64) MAX (unread, 0), *bytes);
  return TRUE;
}

void
guard_close (App * app, ClientInfo * info, const gchar * reason)
{
  GSocket *socket;
  gboolean first;

  g_mutex_lock (&app->lock);
  socket = client_info_ref_socket (info, FALSE);
  /* Not one that has closed meanwhile (its `closed` record is written). */
  first = !info->closing && socket != NULL;
  info->closing = TRUE;
  g_mutex_unlock (&app->lock);
  /* Before the shutdown, which makes the client thread emit `closed`. */
  if (first)
    rejected_emit (app, info, reason, 0, NULL, NULL);
  if (socket != NULL)
    g_socket_shutdown (socket, TRUE, TRUE, NULL);
  g_clear_object (&socket);
}

typedef struct
{
  App *app;
  ClientInfo *info;             /* a reference */
  const gchar *reason;
} DelayedClose;

static gboolean
on_answer_left (gpointer user_data)
{
  DelayedClose *close = user_data;

  guard_close (close->app, close->info, close->reason);
  client_info_release (close->info);
  g_free (close);
  return G_SOURCE_REMOVE;
}

void
guard_close_after_answer (App * app, ClientInfo * info, const gchar * reason)
{
  DelayedClose *close = g_new0 (DelayedClose, 1);

  close->app = app;
  close->info = g_atomic_rc_box_acquire (info);
  close->reason = reason;
  g_timeout_add (ANSWER_LEAVES_MS, on_answer_left, close);
}

/* Why the connection should be closed now, or NULL. Under app->lock. */
static const gchar *
check_connection (App * app, ClientInfo * info, gint64 now)
{
  const HelperConfig *config = &app->config;
  gint64 idle_us = (gint64) config->idle_timeout * G_USEC_PER_SEC;
  gint64 request_us = (gint64) MIN (config->idle_timeout, MAX_REQUEST_SECONDS)
      * G_USEC_PER_SEC;
  guint64 received, unanswered, interleaved, request;

  if (info->socket == NULL || !bytes_received (info->socket, &received))
    return NULL;
  if (received != info->checked_bytes || info->active_us == 0) {
    info->checked_bytes = received;
    info->active_us = now;
  }
  /* Since the last answer: a request, and a TCP viewer's RTCP, counted as
   * the RTCP gate lets it in (rtcp-gate.c). Data gst-rtsp-server drops
   * unseen (a channel of no stream) counts as a request. */
  unanswered = received > info->answered_bytes
      ? received - info->answered_bytes : 0;
  interleaved = info->interleaved_bytes - info->answered_interleaved_bytes;
  request = unanswered > interleaved ? unanswered - interleaved : 0;
  if (request > MAX_HEAD_BYTES + MAX_BODY_BYTES)
    return "request_too_large";

  /* A request is under way from the first check that sees its bytes to
   * the next answer. */
  if (info->answers != info->checked_answers || request == 0) {
    info->checked_answers = info->answers;
    info->unanswered_since_us = request > 0 ? now : 0;
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

void
guard_start (App * app)
{
  app->guard_timeout = g_timeout_add (CHECK_INTERVAL_MS, on_check, app);
}

void
guard_stop (App * app)
{
  g_clear_handle_id (&app->guard_timeout, g_source_remove);
}

/* The request read so far is complete: its bytes, and the time it took
 * from here on (a busy client thread, a media being prepared), are not the
 * client's doing. */
static void
note_progress (App * app, ClientInfo * info, gboolean answered)
{
  GSocket *socket;
  guint64 bytes = 0;
  gboolean known;

  g_mutex_lock (&app->lock);
  socket = client_info_ref_socket (info, FALSE);
  g_mutex_unlock (&app->lock);
  known = socket != NULL && bytes_read (socket, &bytes);
  g_clear_object (&socket);

  g_mutex_lock (&app->lock);
  if (answered)
    info->answers++;
  info->answered_us = g_get_monotonic_time ();
  if (known) {
    info->answered_bytes = bytes;
    info->answered_interleaved_bytes = info->interleaved_bytes;
  }
  g_mutex_unlock (&app->lock);
}

void
guard_note_request (App * app, ClientInfo * info)
{
  note_progress (app, info, FALSE);
}

void
guard_note_answer (App * app, ClientInfo * info)
{
  note_progress (app, info, TRUE);
}


