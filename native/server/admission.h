/* Who gets a connection: the helper accepts them itself, not
 * gst-rtsp-server, which has no limit. Beyond --max-connections the oldest
 * connection without a session makes room, preferably one that has had no
 * answer yet: a viewer holds a session, and an idle or slowloris connection
 * has had no answer. */
#ifndef RTSP_HELPER_ADMISSION_H
#define RTSP_HELPER_ADMISSION_H

#include "server/server.h"

typedef struct _Admission Admission;

/* Listens on the server's address and hands each connection admitted to
 * it. Main thread. */
Admission *admission_listen (HelperServer * server, Protocol * protocol,
    Viewers * viewers, guint max_connections, GError ** error);
void admission_free (Admission * admission);

#endif /* RTSP_HELPER_ADMISSION_H */
