/* What viewers send back about a media, parsed from each RTCP packet as it
 * arrives (before rtpsession sees it): receiver report blocks (`rtcp`
 * records) and TWCC feedback (`twcc` records), with what the media sent to
 * check them against; and the sender reports it sends, which a report's
 * LSR must name. The supervisor judges the figures (src/feedback/). */
#ifndef RTSP_HELPER_FEEDBACK_IN_H
#define RTSP_HELPER_FEEDBACK_IN_H

#include "link/protocol.h"
#include "encoder/measure.h"
#include "viewer/viewers.h"

typedef struct _FeedbackIn FeedbackIn;

/* Follows the media's RTP session; on an adaptive mount, also makes it
 * send sender reports every SENDER_REPORT_INTERVAL_MS. Its RTCP comes from
 * the viewer at the packet's address (found in `viewers`), or from `owner`
 * when the session is one viewer's alone (a WebRTC peer's: its packets
 * come through ICE, without an address). */
FeedbackIn *feedback_in_start (Protocol * protocol, Viewers * viewers,
    Viewer * owner, Measure * measure, GObject * session, gboolean adaptive);
void feedback_in_stop (FeedbackIn * feedback);

#endif /* RTSP_HELPER_FEEDBACK_IN_H */
