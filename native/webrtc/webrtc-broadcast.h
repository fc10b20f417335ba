/* What a static mount's WebRTC viewers share: one encoder and payloader at
 * the mount's bitrate, fed by the mount's decode, whose RTP packets go to
 * each viewer's webrtcbin (their appsrcs), as an RTSP static mount's
 * viewers share one media. A viewer that joins, or whose browser asks for
 * a key frame (PLI, FIR), has the shared encoder make one. Made for the
 * first viewer of a mount and profile (main or constrained baseline: what
 * the browser takes), gone with the last. Main thread, but for the
 * streaming threads said. */
#ifndef RTSP_HELPER_WEBRTC_BROADCAST_H
#define RTSP_HELPER_WEBRTC_BROADCAST_H

#include <gst/gst.h>

#include "encoder/encoder.h"
#include "webrtc/webrtc-context.h"

/* The payload type of its packets; each viewer's appsrc rewrites it to the
 * one its browser offered. */
#define WEBRTC_BROADCAST_PAYLOAD 96

typedef struct _WebrtcBroadcast WebrtcBroadcast;

/* Starts encoding the mount's decode; NULL, with `error`, when the pipeline
 * cannot be made. Its `media prepared` and `bitrate` records come with its
 * first viewer. */
WebrtcBroadcast *webrtc_broadcast_new (const WebrtcContext * context,
    const WebrtcMount * mount, gboolean main_profile, GError ** error);
/* Stops it (its `media unprepared` record, if it had a viewer). */
void webrtc_broadcast_free (WebrtcBroadcast * broadcast);

const gchar *webrtc_broadcast_mount (WebrtcBroadcast * broadcast);
gboolean webrtc_broadcast_main_profile (WebrtcBroadcast * broadcast);
Encoder *webrtc_broadcast_encoder (WebrtcBroadcast * broadcast);
/* Its packets' SSRC, fixed from the start. */
guint32 webrtc_broadcast_ssrc (WebrtcBroadcast * broadcast);

/* Sends its packets to appsrc (a viewer's), from now on. */
void webrtc_broadcast_add (WebrtcBroadcast * broadcast, GstElement * appsrc);
/* Returns how many appsrcs are left. */
guint webrtc_broadcast_remove (WebrtcBroadcast * broadcast,
    GstElement * appsrc);
/* A key frame as soon as it can (a viewer joined, or asked). Any thread. */
void webrtc_broadcast_request_key_frame (WebrtcBroadcast * broadcast);

#endif /* RTSP_HELPER_WEBRTC_BROADCAST_H */
