/* One media of a mount: one encoder and what is known of it, listed by its
 * mount (mount-encoders.c) from the moment a viewer is given its key to the
 * media's unprepare. That list's lock guards the fields that change ("Under
 * the lock" below); the media owns a configured encoder (mount-factory.c). */
#ifndef RTSP_HELPER_ENCODER_H
#define RTSP_HELPER_ENCODER_H

#include <gst/rtsp-server/rtsp-server.h>
#include <gst/video/video.h>

#include "feedback/feedback-in.h"
#include "source/producer.h"
#include "link/protocol.h"
#include "source/source.h"

typedef struct _MountFactory MountFactory;

typedef struct
{
  guint id;                     /* unique in the process */
  gchar *key;                   /* the factory's cache key, per-viewer mounts */
  gint64 reserved_us;
  MountFactory *factory;        /* a reference, once configured */
  GWeakRef media;
  GstElement *appsrc;
  GstElement *enc;
  Producer *producer;           /* the one feeding appsrc */
  Measure *measure;
  FeedbackIn *feedback;         /* once prepared */
  struct _RtcpGate *rtcp_gate;  /* once prepared */
  GstVideoInfo info;            /* valid once prepared */
  gboolean configured;
  gboolean prepared;            /* with a known video format */
  gboolean was_prepared;
  guint bitrate_kbps;           /* as last set */
} Encoder;

/* Reserved under `key` (NULL for a mount whose viewers share), at this
 * bitrate. */
Encoder *encoder_new (const gchar * key, guint bitrate_kbps);
/* Frees one whose media never came (a GDestroyNotify). */
void encoder_free_reservation (gpointer encoder);

/* Under the lock: its media plays on, a new viewer may share it. */
gboolean encoder_is_shareable (Encoder * encoder);
/* Under the lock: its media, once prepared, is being unprepared. */
gboolean encoder_is_going (Encoder * encoder);

/* Feeds the configured encoder from the video's one decode; its keyframe
 * interval follows the decode's frame rate. */
gboolean encoder_subscribe (Encoder * encoder, Source * source,
    GError ** error);

/* `media` records (prepared, unprepared) and `bitrate` records (encoder
 * 0: for the encoders to come; requested 0: not asked for). */
void encoder_emit_media (Protocol * protocol, const gchar * mount,
    const gchar * event, const Encoder * encoder);
void encoder_emit_bitrate (Protocol * protocol, const gchar * mount,
    guint encoder, guint bitrate_kbps, guint requested_kbps);

#endif /* RTSP_HELPER_ENCODER_H */
