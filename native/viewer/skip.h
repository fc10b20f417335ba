/* A slow viewer costs only itself. A TCP viewer of a shared (static)
 * encoder whose socket holds more than a quarter second of the stream in
 * two samples 100 ms apart is skipped: its transport leaves the stream, so the media neither
 * waits for it (TCP back-pressure stalled the media of every viewer) nor
 * queues for it (gst-rtsp-server drops a transport for good once 100 items
 * wait). Once its socket has drained, it gets the stream again from the
 * next key frame: whole frames are dropped for it, never half of one.
 * `client` records: `skipping` (unsent_bytes) and `resumed` (skipped_ms,
 * skipped_bytes). */
#ifndef RTSP_HELPER_SKIP_H
#define RTSP_HELPER_SKIP_H

#include "main/app.h"
#include "viewer/client-info.h"

/* At PLAY: a TCP viewer of media's shared encoder, of this bitrate, may be
 * skipped. Takes references. Under app->lock. */
void skip_allow (ClientInfo * info, GstRTSPMedia * media,
    GstRTSPStreamTransport * transport, guint bitrate_kbps);
/* Its session ends or has ended: it is never resumed. Any thread, without
 * app->lock. */
void skip_forget (App * app, ClientInfo * info);

/* Starts sampling the sockets of the viewers that may be skipped (every
 * 100 ms, main thread); returns the timer's source id. */
guint skip_watch (App * app);
/* The bytes of its encoder's stream the viewer was offered. Any thread,
 * without app->lock. */
guint64 skip_offered_bytes (App * app, ClientInfo * info,
    const StreamPosition * position);

#endif /* RTSP_HELPER_SKIP_H */
