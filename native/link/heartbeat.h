/* The `heartbeat` record, every second from the main loop, whatever else
 * happens: the supervisor's watchdog kills a helper that writes none. It
 * also hands the heap's freed memory back after a media ended. */
#ifndef RTSP_HELPER_HEARTBEAT_H
#define RTSP_HELPER_HEARTBEAT_H

#include <gst/rtsp-server/rtsp-server.h>

#include "link/protocol.h"
#include "viewer/viewers.h"

typedef struct _Heartbeat Heartbeat;

/* Its records count the viewers and the pool's sessions. */
Heartbeat *heartbeat_new (Protocol * protocol, Viewers * viewers,
    GstRTSPSessionPool * sessions);
/* Main thread; until heartbeat_stop(). It lives on after its stop, for the
 * medias that end until the process exits. */
void heartbeat_start (Heartbeat * heartbeat);
void heartbeat_stop (Heartbeat * heartbeat);
/* A media ended and freed its memory: the next heartbeat hands it back to
 * the system. Any thread. */
void heartbeat_trim_soon (Heartbeat * heartbeat);

#endif /* RTSP_HELPER_HEARTBEAT_H */
