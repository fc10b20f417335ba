/* What a SETUP may change in the session it names. gst-rtsp-server 1.22
 * applies a second SETUP of a stream to the transport that stream already
 * has: a playing stream moved from TCP to UDP aborts the helper on its
 * next packet (rtsp-client.c: get_data_seq: 'data_seq' should not be
 * NULL), from UDP to TCP some seconds later (a 32 GiB allocation on the
 * send thread), and a new UDP port leaves the old one fed. Even the same
 * transport again, while the stream plays, frees the transport its send
 * thread is reading (gst_rtsp_stream_transport_set_transport()): the
 * channel it then reads is garbage, and the same assertion aborts. */
#ifndef RTSP_HELPER_SESSION_RULES_H
#define RTSP_HELPER_SESSION_RULES_H

#include <gst/rtsp-server/rtsp-server.h>

/* GST_RTSP_STS_OK, or the error a SETUP gets with its reason (for the
 * `rejected` record):
 * - 461 `bad_interleaved`: interleaved channels that are not a pair n-(n+1)
 *   of 0..255 (RTP and RTCP on one channel, a range backwards);
 * - 459 `aggregate_not_allowed`: the session plays another mount (each
 *   session is one viewer of one mount);
 * - 455 `transport_changed`: the stream is set up already in the session,
 *   with another lower transport, other interleaved channels or other UDP
 *   ports;
 * - 455 `setup_while_playing`: the stream is set up already and plays.
 *   The same transport again before PLAY (or after PAUSE) is taken.
 * Called from the pre-setup-request signal, once ctx->stream and ctx->media
 * are known. */
GstRTSPStatusCode session_rules_check_setup (GstRTSPContext * ctx,
    const gchar ** reason);

#endif /* RTSP_HELPER_SESSION_RULES_H */
