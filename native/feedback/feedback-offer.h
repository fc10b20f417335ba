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

/* RTCP bandwidth (RFC 3556 `b=RS`/`b=RR`, bit/s) offered in the SDP. Once
 * rtspsrc sends TWCC feedback, its rtpsession follows RFC 4585's early
 * feedback rules, and the interval it derives from this bandwidth (about
 * 8 × the mean RTCP packet size / RR share, ~30 ms at 20 kbit/s) holds back
 * each feedback packet and postpones the regular report behind the last one;
 * a regular report that comes due while a feedback packet waits goes out as
 * one, without its report blocks, and is rescheduled a whole RTCP-Interval
 * later. That interval must stay well below a frame's 33 ms: without these
 * lines (the stream's bitrate, 150 kbit/s) rtspsrc reported once in 7 s;
 * at 20 kbit/s it lost a fifth to a third of them (7.9 a second idle, 6.7
 * with its CPU contended); at 200 kbit/s (~3 ms) 9.9 and 9.1. Reports stay
 * bounded by RTCP-Interval and feedback by the frame rate, whatever this
 * says (docs/protocol.md, "Fast feedback"). */
#define RTCP_BANDWIDTH_BPS 200000

/* Asks for fast feedback in a successful answer about an adaptive mount,
 * before it is written: `RTCP-Interval` in a PLAY answer, the TWCC
 * extension and RTCP bandwidth in a DESCRIBE answer's SDP. */
void feedback_offer_adjust (GstRTSPMessage * response, GstRTSPContext * ctx);

#endif /* RTSP_HELPER_FEEDBACK_OFFER_H */
