/* What a helper killed by a fatal signal leaves behind: a `crash` record on
 * stdout naming the signal and the RTSP request last begun, on the crashing
 * thread ("serving") or, failing that, on any thread. The record is written
 * by the signal handler, so it is prepared while requests arrive. */
#ifndef RTSP_HELPER_CRASH_REPORT_H
#define RTSP_HELPER_CRASH_REPORT_H

#include <gst/rtsp-server/rtsp-server.h>

#include "link/protocol.h"

/* Installs the handler for SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL and
 * SIGTRAP; it writes to fd, then dies of the signal as it would have. */
void crash_report_install (gint fd);
/* A request of this client begins on this client thread. */
void crash_report_note_request (guint client_id, const gchar * address,
    guint port, GstRTSPContext * ctx);
/* Its answer is sent: this thread serves no request. */
void crash_report_note_answered (void);

#endif /* RTSP_HELPER_CRASH_REPORT_H */
