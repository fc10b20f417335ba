/* The mount's media factory: every media it makes is one encoder, fed by
 * one shared producer (one decode and scale of the file, however many
 * encoders). Which encoder each viewer gets: mount-encoders.h. */
#ifndef RTSP_HELPER_MOUNT_FACTORY_H
#define RTSP_HELPER_MOUNT_FACTORY_H

#include <gst/rtsp-server/rtsp-server.h>

#include "encoder/measure.h"
#include "link/heartbeat.h"
#include "link/protocol.h"
#include "source/source.h"
#include "viewer/viewers.h"

#define MOUNT_TYPE_FACTORY (mount_factory_get_type ())
G_DECLARE_FINAL_TYPE (MountFactory, mount_factory, MOUNT, FACTORY,
    GstRTSPMediaFactory);

typedef struct
{
  const gchar *path;
  gboolean adaptive;            /* ask viewers for fast feedback, pace TCP */
  guint max_encoders;
  guint bitrate_kbps;           /* every encoder starts at it */
  const gchar *encoder_preset;  /* x264's speed preset */
  gint fps;                     /* the output's frame rate, 0: the file's */
  AudioCodec audio;             /* the audio stream it sends, if any */
  const gchar *host;            /* RTP and RTCP sockets are bound to it */
} MountSettings;

/* A mount of the helper's file, fed by its one decode (source). Its
 * viewers are found in `viewers` (pacing, feedback); a media that ended
 * has the heartbeat trim the heap. */
MountFactory *mount_factory_new (const MountSettings * settings,
    Protocol * protocol, Source * source, Viewers * viewers,
    Heartbeat * heartbeat);
const gchar *mount_factory_path (MountFactory * factory);
gboolean mount_factory_is_adaptive (MountFactory * factory);
/* Where its encoders made from now on start. */
guint mount_factory_start_bitrate (MountFactory * factory);
/* Room in --encoders for an encoder of a viewer that is no RTSP client
 * (mount_encoders_take_other()). Any thread. */
gboolean mount_factory_take_encoder (MountFactory * factory);
void mount_factory_release_encoder (MountFactory * factory);

/* Sets the bitrate of one encoder (its id), or of every encoder and of the
 * ones made later (encoder 0). Emits a `bitrate` record per encoder set.
 * FALSE when there is no such encoder. Main thread. */
gboolean mount_factory_set_bitrate (MountFactory * factory, guint encoder,
    guint bitrate_kbps);

/* The encoder that serves a media, for its viewers. */
typedef struct
{
  guint id;
  guint bitrate_kbps;
  const gchar *mount;           /* lives as long as the helper */
  gboolean adaptive;
  Measure *measure;             /* a new reference */
} EncoderRef;

/* FALSE when the media is not one of ours. Any thread. */
gboolean mount_factory_encoder_of (GstRTSPMedia * media, EncoderRef * ref);

/* gst-rtsp-server 1.22 hands the cached shared media out while it is being
 * unprepared, and answers 503 ("can not reuse media"): on a mount whose
 * viewers share one encoder, a DESCRIBE or SETUP right after the last
 * viewer left waits until that media is gone (2 s at most). Client
 * thread. */
void mount_factory_wait_gone (MountFactory * factory);

/* Stops configuring new medias and unprepares every one, whoever still
 * holds it. Main thread, at shutdown. */
void mount_factory_stop (MountFactory * factory);

#endif /* RTSP_HELPER_MOUNT_FACTORY_H */
