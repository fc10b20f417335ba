#include "viewer/connection-guard.h"

/* A request must be whole this long after its first byte. */
#define MAX_REQUEST_SECONDS 10

GuardLimits
guard_limits_new (gint idle_timeout_s)
{
  GuardLimits limits = {
    .idle_us = (gint64) idle_timeout_s * G_USEC_PER_SEC,
    .request_us = (gint64) MIN (idle_timeout_s, MAX_REQUEST_SECONDS)
        * G_USEC_PER_SEC,
  };

  return limits;
}

void
connection_guard_init (ConnectionGuard * guard, gint64 now_us)
{
  *guard = (ConnectionGuard) {
  .answered_us = now_us};
}

void
connection_guard_note (ConnectionGuard * guard, gboolean answered,
    gboolean bytes_known, guint64 bytes_read, guint64 interleaved,
    gint64 now_us)
{
  if (answered)
    guard->answers++;
  guard->answered_us = now_us;
  if (bytes_known) {
    guard->answered_bytes = bytes_read;
    guard->answered_interleaved = interleaved;
  }
}

const gchar *
connection_guard_check (ConnectionGuard * guard, const GuardLimits * limits,
    guint64 received, guint64 interleaved, gboolean sessions, gint64 now_us)
{
  guint64 unanswered, request;

  if (received != guard->checked_bytes || guard->active_us == 0) {
    guard->checked_bytes = received;
    guard->active_us = now_us;
  }
  /* Since the last answer: a request, and a TCP viewer's RTCP. Data
   * gst-rtsp-server drops unseen (a channel of no stream) counts as a
   * request. */
  unanswered = received > guard->answered_bytes
      ? received - guard->answered_bytes : 0;
  interleaved -= MIN (interleaved, guard->answered_interleaved);
  request = unanswered > interleaved ? unanswered - interleaved : 0;
  if (request > MAX_HEAD_BYTES + MAX_BODY_BYTES)
    return "request_too_large";

  /* A request is under way from the first check that sees its bytes to
   * the next answer. */
  if (guard->answers != guard->checked_answers || request == 0) {
    guard->checked_answers = guard->answers;
    guard->unanswered_since_us = request > 0 ? now_us : 0;
  } else if (guard->unanswered_since_us == 0) {
    guard->unanswered_since_us = now_us;
  } else if (now_us - guard->unanswered_since_us >= limits->request_us) {
    return "request_timeout";
  }

  /* Idle: nothing sent, nothing answered. A viewer's connection may idle
   * for as long as its session lives. */
  if (!sessions
      && now_us - MAX (guard->answered_us, guard->active_us) >= limits->idle_us)
    return "idle_timeout";
  return NULL;
}
