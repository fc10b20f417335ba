/* The shared media: its launch line, its producer, its encoder. */
#ifndef RTSP_HELPER_MEDIA_H
#define RTSP_HELPER_MEDIA_H

#include "app.h"

gchar *media_launch_new (const HelperConfig * config);
/* Parses the launch line once, so that a missing element is fatal at start
 * rather than a failure of every viewer. */
gboolean media_check_launch (const gchar * launch, GError ** error);
void media_factory_configure (GstRTSPMediaFactory * factory, App * app);
/* Applies to the running encoder if any, and to later medias. Emits the
 * `bitrate` record. Main thread. */
void media_set_bitrate (App * app, guint bitrate_kbps);
/* gst-rtsp-server 1.22 hands the cached shared media out while it is being
 * unprepared, and answers 503 ("can not reuse media"): a DESCRIBE or SETUP
 * right after the last viewer left waits until that media is gone (2 s at
 * most). Client thread. */
void media_wait_gone (App * app);
/* Stops configuring new medias and unprepares the current one, whoever
 * still holds it. Main thread, at shutdown. */
void media_stop (App * app);

#endif /* RTSP_HELPER_MEDIA_H */
