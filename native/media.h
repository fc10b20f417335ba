/* The shared media: its producer, its encoder, its life. */
#ifndef RTSP_HELPER_MEDIA_H
#define RTSP_HELPER_MEDIA_H

#include "app.h"

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
