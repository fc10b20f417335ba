/* The `heartbeat` record, every second from the main loop, whatever else
 * happens: the supervisor's watchdog kills a helper that writes none. */
#ifndef RTSP_HELPER_HEARTBEAT_H
#define RTSP_HELPER_HEARTBEAT_H

#include "main/app.h"

/* Main thread; returns the timer's source id. */
guint heartbeat_start (App * app);
/* A media ended and freed its memory: the next heartbeat hands it back to
 * the system. Any thread. */
void heartbeat_trim_soon (App * app);

#endif /* RTSP_HELPER_HEARTBEAT_H */
