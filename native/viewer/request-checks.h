/* What the helper checks in a request before gst-rtsp-server handles it:
 * pure functions of the request, each returning the `rejected` reason of
 * the refusal or NULL. */
#ifndef RTSP_HELPER_REQUEST_CHECKS_H
#define RTSP_HELPER_REQUEST_CHECKS_H

#include <gst/rtsp/rtsp.h>

/* `bad_cseq`: CSeq missing, repeated or not 1..9 decimal digits. */
const gchar *request_check_cseq (GstRTSPMessage * request);
/* `too_many_headers` (over 64), `header_too_long` (a value of 4000 bytes or
 * more: gst-rtsp-server cuts lines at 4 KB unseen), `bad_content_length`
 * (not one value of 1..9 digits: "0x10" would be read as 0). */
const gchar *request_check_headers (GstRTSPMessage * request);
/* `bad_transport`: an offer that does not parse, or a UDP one whose
 * client_port is not two ports of 1..65535 in order (gst-rtsp-server takes
 * 0, and would send RTP to port 0). */
const gchar *request_check_transports (GstRTSPMessage * request);

#endif /* RTSP_HELPER_REQUEST_CHECKS_H */
