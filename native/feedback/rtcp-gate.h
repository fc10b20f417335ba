/* The door a media's incoming RTCP goes through before rtpbin sees it.
 * rtpsession takes every packet under the lock the stream's sending needs:
 * a flood from anyone slowed every viewer of the media (a 16k packets/s
 * flood of 31-block receiver reports: 0-1 fps for 2 s), and each packet
 * became records for the supervisor. Here a packet from an address that is
 * no viewer's is dropped, each viewer's are limited (viewer/rtcp-budget.h), and what a TCP viewer sent is counted for the guard (its RTCP
 * shares the connection with its requests). What was dropped is counted
 * and summed up once a second (`feedback_refused` records). */
#ifndef RTSP_HELPER_RTCP_GATE_H
#define RTSP_HELPER_RTCP_GATE_H

#include <gst/rtsp-server/rtsp-server.h>

#include "link/protocol.h"
#include "viewer/viewers.h"

typedef struct _RtcpGate RtcpGate;

/* Guards the media's RTCP input (rtpbin's recv_rtcp_sink of stream 0);
 * NULL, with an `error` record, when the media has none. */
RtcpGate *rtcp_gate_start (Protocol * protocol, Viewers * viewers,
    GstRTSPMedia * media, const gchar * mount, guint encoder);
void rtcp_gate_stop (RtcpGate * gate);

#endif /* RTSP_HELPER_RTCP_GATE_H */
