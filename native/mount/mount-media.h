/* One media of a mount: gst-rtsp-server's media with its encoder
 * (encoder/encoder.h), which it owns from its configuration to its
 * unprepare, and its mount told when it is prepared and unprepared. */
#ifndef RTSP_HELPER_MOUNT_MEDIA_H
#define RTSP_HELPER_MOUNT_MEDIA_H

#include <gst/rtsp-server/rtsp-server.h>

#include "encoder/encoder.h"

G_BEGIN_DECLS

#define MOUNT_TYPE_MEDIA (mount_media_get_type ())
G_DECLARE_FINAL_TYPE (MountMedia, mount_media, MOUNT, MEDIA, GstRTSPMedia);

/* The media's mount, as the media sees it. */
typedef struct
{
  void (*prepared) (GstRTSPMedia * media, Encoder * encoder,
      GObject * mount);
  void (*unprepared) (GstRTSPMedia * media, Encoder * encoder,
      GObject * mount);
  /* Frees an encoder whose media is done with it. */
  void (*release) (Encoder * encoder, GObject * mount);
} MountMediaOwner;

/* Takes the encoder, until the media is unprepared or finalized, and
 * holds the mount until then. */
void mount_media_set_encoder (MountMedia * media, Encoder * encoder,
    const MountMediaOwner * owner, GObject * mount);
/* Its encoder, NULL before it is configured or once unprepared. */
Encoder *mount_media_encoder (MountMedia * media);
/* Its mount while it holds an encoder, else NULL. */
GObject *mount_media_mount (MountMedia * media);

G_END_DECLS

#endif /* RTSP_HELPER_MOUNT_MEDIA_H */
