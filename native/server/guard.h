/* Limits on RTSP connections that gst-rtsp-server does not have: every
 * 100 ms, each connection is checked for a request that is too large or
 * too slow, or for idling without a session (viewer/connection-guard.h),
 * and closed when it is. */
#ifndef RTSP_HELPER_GUARD_H
#define RTSP_HELPER_GUARD_H

#include "viewer/viewers.h"

typedef struct _Guard Guard;

/* Main thread, until guard_stop(). */
Guard *guard_start (Viewers * viewers);
void guard_stop (Guard * guard);

#endif /* RTSP_HELPER_GUARD_H */
