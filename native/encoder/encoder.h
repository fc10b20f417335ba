/* One media's encoder and what hangs off it: the appsrc and x264enc of its
 * launch line, the decode feeding it, its measurements (Measure), the
 * feedback its viewers send (FeedbackIn, RtcpGate). Its state is its own;
 * a mount lists its encoders (mount/mount-encoders.c) from the moment a
 * viewer is given its key to the media's unprepare, and that list's lock
 * guards what changes here ("Under the mount's lock" below); the media owns
 * a configured encoder (mount/mount-media.c). */
#ifndef RTSP_HELPER_ENCODER_H
#define RTSP_HELPER_ENCODER_H

#include <gst/rtsp-server/rtsp-server.h>

#include "encoder/measure.h"
#include "encoder/media-launch.h"
#include "link/protocol.h"
#include "source/source.h"
#include "viewer/viewers.h"

typedef struct _Encoder Encoder;

/* Reserved under `key` (NULL for a mount whose viewers share), at this
 * bitrate. */
Encoder *encoder_new (const gchar * key, guint bitrate_kbps);
/* Stops what it started and frees it, reserved or configured (a
 * GDestroyNotify). */
void encoder_free (gpointer encoder);

/* Unique in the process: records name it, `bitrate N ENCODER` sets it. */
guint encoder_id (const Encoder * encoder);
/* The factory's cache key, NULL for a shared encoder. */
const gchar *encoder_key (const Encoder * encoder);

/* Under the mount's lock: given a key, its media never configured within
 * `timeout_us` of the reservation (its DESCRIBE failed first). */
gboolean encoder_reservation_expired (const Encoder * encoder, gint64 now_us,
    gint64 timeout_us);
gboolean encoder_is_configured (const Encoder * encoder);
/* Under the mount's lock: its media plays on, a new viewer may share it. */
gboolean encoder_is_shareable (Encoder * encoder);
/* Under the mount's lock: its media, once prepared, is being unprepared. */
gboolean encoder_is_going (Encoder * encoder);
/* A new reference to its media, NULL before configuration or once gone. */
GstRTSPMedia *encoder_get_media (Encoder * encoder);

/* Under the mount's lock: the bitrate as last set. */
guint encoder_bitrate (const Encoder * encoder);
/* Under the mount's lock: sets it (x264enc reconfigures its rate control
 * on the next frame). TRUE, with the bitrate x264enc took, once
 * configured. */
gboolean encoder_set_bitrate (Encoder * encoder, guint bitrate_kbps,
    guint * applied_kbps);

/* Under the mount's lock: its media is being configured; it holds the
 * media's appsrcs and encoder and sets the encoder to its bitrate. */
void encoder_configure (Encoder * encoder, GstRTSPMedia * media,
    const MediaElements * elements);
/* Measures what enc takes and pay sends (`frame` and `stats` records). */
void encoder_start_measure (Encoder * encoder, Protocol * protocol,
    const gchar * mount, GstElement * pay);
/* Its Measure, NULL before encoder_start_measure(). */
Measure *encoder_measure (Encoder * encoder);
/* Feeds it from the video's one decode; its keyframe interval follows the
 * decode's frame rate. */
gboolean encoder_subscribe (Encoder * encoder, Source * source,
    GError ** error);
/* Its media is prepared: reads its viewers' RTCP (FeedbackIn, when
 * measured) behind the gate that keeps strangers out (RtcpGate). */
void encoder_start_feedback (Encoder * encoder, Protocol * protocol,
    Viewers * viewers, GstRTSPMedia * media, const gchar * mount,
    gboolean adaptive);
/* Under the mount's lock: prepared with its appsrc's current caps. */
void encoder_note_prepared (Encoder * encoder);
/* The bitrate x264enc runs at now. */
guint encoder_applied_bitrate (Encoder * encoder);

/* `media` records (prepared, unprepared) and `bitrate` records (encoder
 * 0: for the encoders to come; requested 0: not asked for). */
void encoder_emit_media (Protocol * protocol, const gchar * mount,
    const gchar * event, const Encoder * encoder);
void encoder_emit_bitrate (Protocol * protocol, const gchar * mount,
    guint encoder, guint bitrate_kbps, guint requested_kbps);

#endif /* RTSP_HELPER_ENCODER_H */
