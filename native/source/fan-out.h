/* A producer's frames to the appsrcs of the medias it feeds, each copy
 * stamped for its media. */
#ifndef RTSP_HELPER_FAN_OUT_H
#define RTSP_HELPER_FAN_OUT_H

#include <gst/gst.h>

typedef struct _FanOut FanOut;

FanOut *fan_out_new (void);
void fan_out_free (FanOut * fan_out);

/* Any thread. */
void fan_out_add (FanOut * fan_out, GstElement * appsrc);
/* Returns how many appsrcs are left. Any thread. */
guint fan_out_remove (FanOut * fan_out, GstElement * appsrc);
guint fan_out_count (FanOut * fan_out);

/* Streaming thread: a copy of the sample to each appsrc whose media plays,
 * stamped with that media's running time at the sample's time (lateness
 * ago). */
void fan_out_push (FanOut * fan_out, GstSample * sample,
    GstClockTime lateness);
/* A frame went to a playing media. Any thread. */
gboolean fan_out_has_fed (FanOut * fan_out);
/* Posts the error on each appsrc: its media fails too. */
void fan_out_post_error (FanOut * fan_out, const GError * error,
    const gchar * debug);

#endif /* RTSP_HELPER_FAN_OUT_H */
