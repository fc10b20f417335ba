/* The viewers playing over TCP, sampled on the main loop: every 100 ms for
 * skipping a viewer that fell behind (viewer/tcp-skip.h), every 250 ms for
 * its `queue` record (the bytes its socket still holds: what it cannot take
 * yet, the signal of a TCP viewer). */
#ifndef RTSP_HELPER_TCP_WATCH_H
#define RTSP_HELPER_TCP_WATCH_H

#include "viewer/viewers.h"

typedef struct _TcpWatch TcpWatch;

TcpWatch *tcp_watch_start (Viewers * viewers);
void tcp_watch_stop (TcpWatch * watch);

#endif /* RTSP_HELPER_TCP_WATCH_H */
