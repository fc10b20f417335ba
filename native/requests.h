/* Checks on each RTSP request before gst-rtsp-server handles it. */
#ifndef RTSP_HELPER_REQUESTS_H
#define RTSP_HELPER_REQUESTS_H

#include "app.h"

/* Answers 400 Bad Request to any request whose CSeq is missing, repeated,
 * or not a decimal number, and 461 Unsupported Transport to a SETUP that
 * offers a UDP client_port of 0. */
void requests_watch_client (GstRTSPClient * client);

#endif /* RTSP_HELPER_REQUESTS_H */
