/* Whether a live source's host answers again: while the helper waits out a
 * backoff (up to 10 s), a TCP connect each second to the source's host and
 * port tells when a source that could not be reached can be, so the live
 * picture comes back within a second or two of the source, not at the end
 * of the wait. Main thread only. */
#ifndef RTSP_HELPER_REACH_PROBE_H
#define RTSP_HELPER_REACH_PROBE_H

#include <gio/gio.h>

typedef struct _ReachProbe ReachProbe;

typedef void (*ReachBack) (gpointer user_data);

/* NULL when the URI names no TCP host to try (srt://, udp://). */
ReachProbe *reach_probe_new (const gchar * uri, ReachBack back,
    gpointer user_data);
void reach_probe_free (ReachProbe * probe);
/* Tries every second; calls back once a try succeeds after one failed. */
void reach_probe_start (ReachProbe * probe);
void reach_probe_stop (ReachProbe * probe);

#endif /* RTSP_HELPER_REACH_PROBE_H */
