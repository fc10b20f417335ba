/* An encoder's media launch line: appsrc, encoder and payloader. */
#ifndef RTSP_HELPER_MEDIA_LAUNCH_H
#define RTSP_HELPER_MEDIA_LAUNCH_H

#include <gst/gst.h>

/* x264's speed preset (docs/encoder.md) and the output frame rate (0: the
 * file's). */
gchar *media_launch_new (const gchar * preset, gint fps, gint bitrate_kbps);
/* Parses the launch line once, so that a missing element is fatal at start
 * rather than a failure of every viewer. */
gboolean media_launch_check (const gchar * launch, GError ** error);
/* The media's appsrc, encoder and payloader (src, enc, pay0), each a new
 * reference; FALSE, with none, when one is missing. */
gboolean media_launch_elements (GstElement * element, GstElement ** appsrc,
    GstElement ** enc, GstElement ** pay);
/* The encoder's keyframe interval for a frame rate (0/0 when unknown). */
guint media_launch_key_int_max (gint fps_n, gint fps_d);

#endif /* RTSP_HELPER_MEDIA_LAUNCH_H */
