/* The transport-wide congestion control header extension
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01) on a dynamic mount's
 * packets: GStreamer's rtspsrc answers it with feedback about every frame. */
#ifndef RTSP_HELPER_TWCC_EXTENSION_H
#define RTSP_HELPER_TWCC_EXTENSION_H

#include <gst/gst.h>

#define TWCC_URI \
  "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"
/* The extmap id an RTSP mount offers, in the packets and in the SDP alike
 * (a WebRTC viewer's offer names its own). */
#define TWCC_EXTMAP_ID 1

/* Adds the extension to the payloader under extmap `id`: its sequence
 * number is the RTP one, so the helper's send log (send-log.h) matches
 * feedback to packets. */
gboolean twcc_extension_add (GstElement * pay, guint id, GError ** error);

#endif /* RTSP_HELPER_TWCC_EXTENSION_H */
