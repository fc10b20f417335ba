/* Checks on each RTSP request before gst-rtsp-server handles it, and the
 * `rejected` record of each error response. */
#ifndef RTSP_HELPER_REQUESTS_H
#define RTSP_HELPER_REQUESTS_H

#include "main/app.h"
#include "viewer/client-info.h"

/* Answers 400 Bad Request to a request whose CSeq is missing, repeated or
 * not a decimal number, or whose headers are too many or too long; 461
 * Unsupported Transport to a SETUP that offers a UDP client_port of 0, or a
 * transport --transport-policy refuses; 454
 * Session Not Found to a request naming a session that another connection
 * set up. Notes each response for guard.c. */
void requests_watch_client (App * app, GstRTSPClient * client);

/* The status a pre-request handler returns, with the reason for the
 * `rejected` record when it is an error. Client thread. */
GstRTSPStatusCode requests_refuse (ClientInfo * info, GstRTSPStatusCode status,
    const gchar * reason);

#endif /* RTSP_HELPER_REQUESTS_H */
