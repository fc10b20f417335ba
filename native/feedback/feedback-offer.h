/* What a dynamic mount asks of its viewers in its answers: receiver reports
 * every RTCP_INTERVAL_MS (`RTCP-Interval` in PLAY responses, honoured by
 * GStreamer's rtspsrc), and TWCC feedback (the extension in the SDP). */
#ifndef RTSP_HELPER_FEEDBACK_OFFER_H
#define RTSP_HELPER_FEEDBACK_OFFER_H

#include <gst/rtsp-server/rtsp-server.h>

/* rtspsrc then reports every ~100 ms on average (measured: 50 → 50 ms,
 * 100 → 103 ms, 200 → 188 ms); TWCC already gives delay and loss about
 * every frame, so faster reports would only cost uplink. */
#define RTCP_INTERVAL_MS 100

/* RTCP bandwidth (RFC 3556 `b=RS`/`b=RR`, bit/s) offered in the SDP: without
 * it rtspsrc derives its report interval from the stream's bitrate, and at
 * 150 kbit/s reported once in 7 s, whatever RTCP-Interval said. 20 kbit/s
 * keeps RTCP-Interval the bound for one viewer sending reports and TWCC. */
#define RTCP_BANDWIDTH_BPS 20000

/* Asks for fast feedback in a successful answer about an adaptive mount,
 * before it is written: `RTCP-Interval` in a PLAY answer, the TWCC
 * extension and RTCP bandwidth in a DESCRIBE answer's SDP. */
void feedback_offer_adjust (GstRTSPMessage * response, GstRTSPContext * ctx);

#endif /* RTSP_HELPER_FEEDBACK_OFFER_H */
