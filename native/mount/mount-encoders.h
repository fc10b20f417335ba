/* A mount's encoders (encoder.h), from the moment a viewer is given its key
 * to the media's unprepare, under one lock: medias come and go on client
 * threads. With per-viewer encoders (--encoders N, N > 0) each new viewer
 * gets a media of its own, so its own bitrate, up to N at once; past that
 * it shares the encoder running at the lowest bitrate: a shared encoder
 * serves its weakest viewer, and a newcomer can only pull that one down if
 * its own path is weaker still. With N = 0 every viewer shares one
 * encoder. */
#ifndef RTSP_HELPER_MOUNT_ENCODERS_H
#define RTSP_HELPER_MOUNT_ENCODERS_H

#include "encoder/encoder.h"

typedef struct _MountEncoders MountEncoders;

/* The bitrate an encoder was set to, as x264enc took it. */
typedef struct
{
  guint encoder;
  guint bitrate_kbps;
} AppliedBitrate;

/* Encoders start at bitrate_kbps; max_encoders 0: one for every viewer. */
MountEncoders *mount_encoders_new (guint max_encoders, guint bitrate_kbps);
/* Once configured encoders are gone (their medias hold the factory that
 * owns this): frees the reservations left. */
void mount_encoders_free (MountEncoders * encoders);

/* The key of the media the viewer whose request is being handled gets
 * (`mount` on a mount whose viewers share): a viewer keeps the key it was
 * given for as long as its encoder lives. NULL when the request is not a
 * viewer's. Client thread. */
gchar *mount_encoders_key (MountEncoders * encoders, const gchar * mount);
/* The encoder a media being configured is: the one reserved under its
 * viewer's key, or a new one. It holds the media's appsrcs and encoder, and
 * starts at its bitrate. Client thread. */
Encoder *mount_encoders_configure (MountEncoders * encoders,
    GstRTSPMedia * media, const MediaElements * elements);
/* The encoder's media is prepared (encoder_note_prepared()). */
void mount_encoders_note_prepared (MountEncoders * encoders,
    Encoder * encoder);
/* The encoder's media is gone: wakes mount_encoders_wait_gone(). */
void mount_encoders_remove (MountEncoders * encoders, Encoder * encoder);

/* Sets the bitrate of one encoder (its id), or of every encoder and of the
 * ones made later (encoder 0); appends an AppliedBitrate to `applied` per
 * configured encoder set. FALSE when there is no such encoder. */
gboolean mount_encoders_set_bitrate (MountEncoders * encoders, guint encoder,
    guint bitrate_kbps, GArray * applied);
/* An encoder made outside the mount's medias for one of its viewers (a
 * WebRTC peer's): TRUE when --encoders has room for it (always with 0,
 * where the RTSP viewers share one), and it is counted until released.
 * A new RTSP viewer finds the room it takes gone: it shares. */
gboolean mount_encoders_take_other (MountEncoders * encoders);
void mount_encoders_release_other (MountEncoders * encoders);
/* Where the encoders made from now on start. */
guint mount_encoders_start_bitrate (MountEncoders * encoders);
/* The encoder's bitrate as last set. */
guint mount_encoders_bitrate (MountEncoders * encoders,
    const Encoder * encoder);

/* On a mount whose viewers share, until no media of it is being
 * unprepared (2 s at most). Client thread. */
void mount_encoders_wait_gone (MountEncoders * encoders);
/* Unprepares each of their medias that still exists, for good. */
void mount_encoders_unprepare (MountEncoders * encoders);

#endif /* RTSP_HELPER_MOUNT_ENCODERS_H */
