/* One RTSP connection's progress as the guard judges it: how long and how
 * large the request under way is, how long the connection idled. Fed with
 * byte counts, not locked: the connection's owner guards it. */
#ifndef RTSP_HELPER_CONNECTION_GUARD_H
#define RTSP_HELPER_CONNECTION_GUARD_H

#include <glib.h>

/* A request head may take this many bytes, its body MAX_BODY_BYTES. */
#define MAX_HEAD_BYTES (16 * 1024)
#define MAX_BODY_BYTES 4096

typedef struct
{
  gint64 idle_us;               /* --idle-timeout */
  gint64 request_us;            /* a request must be whole within this */
} GuardLimits;

/* A connection without a session may idle idle_timeout_s; a request must
 * be whole within 10 s of its first byte, or the idle timeout if shorter
 * (slowloris). */
GuardLimits guard_limits_new (gint idle_timeout_s);

typedef struct
{
  /* At the last request or answer. */
  guint answers;
  gint64 answered_us;
  guint64 answered_bytes;       /* read by gst-rtsp-server by then */
  guint64 answered_interleaved;
  /* The checks' own. */
  guint checked_answers;
  guint64 checked_bytes;
  gint64 unanswered_since_us;
  gint64 active_us;             /* bytes last arrived, as far as seen */
} ConnectionGuard;

void connection_guard_init (ConnectionGuard * guard, gint64 now_us);
/* A whole request came (answered FALSE) or an answer left: what the
 * connection carried so far, when known, was requests and interleaved
 * data. */
void connection_guard_note (ConnectionGuard * guard, gboolean answered,
    gboolean bytes_known, guint64 bytes_read, guint64 interleaved,
    gint64 now_us);
/* Why the connection should be closed now, or NULL. `received`: the bytes
 * the kernel received on it; `interleaved`: of them, RTCP let in from it
 * (the RTCP gate counts it); `sessions`: it holds a session, and may idle
 * as long as it lives. */
const gchar *connection_guard_check (ConnectionGuard * guard,
    const GuardLimits * limits, guint64 received, guint64 interleaved,
    gboolean sessions, gint64 now_us);

#endif /* RTSP_HELPER_CONNECTION_GUARD_H */
