/* The `heartbeat` record, every second from the main loop, whatever else
 * happens: the supervisor's watchdog kills a helper that writes none. */
#ifndef RTSP_HELPER_HEARTBEAT_H
#define RTSP_HELPER_HEARTBEAT_H

#include "app.h"

/* Main thread; returns the timer's source id. */
guint heartbeat_start (App * app);

#endif /* RTSP_HELPER_HEARTBEAT_H */
