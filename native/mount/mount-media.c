#include "mount/mount-media.h"

struct _MountMedia
{
  GstRTSPMedia parent;
  /* Set at configuration, on the client thread, before anyone else sees
   * the media; cleared at its unprepare. */
  Encoder *encoder;
  const MountMediaOwner *owner;
  GObject *mount;               /* a reference, while it holds the encoder */
};

G_DEFINE_TYPE (MountMedia, mount_media, GST_TYPE_RTSP_MEDIA);

static void
release_encoder (MountMedia * media)
{
  Encoder *encoder = g_steal_pointer (&media->encoder);

  if (encoder == NULL)
    return;
  media->owner->release (encoder, media->mount);
  g_clear_object (&media->mount);
}

static void
mount_media_prepared (GstRTSPMedia * base)
{
  MountMedia *media = MOUNT_MEDIA (base);

  if (media->encoder != NULL)
    media->owner->prepared (base, media->encoder, media->mount);
}

/* After the factory's own handler, which drops the media from its cache:
 * the mount's wait for a media to be gone (mount_factory_wait_gone())
 * relies on that order. */
static void
mount_media_unprepared (GstRTSPMedia * base)
{
  MountMedia *media = MOUNT_MEDIA (base);

  if (media->encoder == NULL)
    return;
  media->owner->unprepared (base, media->encoder, media->mount);
  release_encoder (media);
}

static void
mount_media_finalize (GObject * object)
{
  /* It never got as far as its unprepare. */
  release_encoder (MOUNT_MEDIA (object));
  G_OBJECT_CLASS (mount_media_parent_class)->finalize (object);
}

static void
mount_media_class_init (MountMediaClass * klass)
{
  GstRTSPMediaClass *media_class = GST_RTSP_MEDIA_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = mount_media_finalize;
  media_class->prepared = mount_media_prepared;
  media_class->unprepared = mount_media_unprepared;
}

static void
mount_media_init (MountMedia * media G_GNUC_UNUSED)
{
}

void
mount_media_set_encoder (MountMedia * media, Encoder * encoder,
    const MountMediaOwner * owner, GObject * mount)
{
  media->encoder = encoder;
  media->owner = owner;
  media->mount = g_object_ref (mount);
}

Encoder *
mount_media_encoder (MountMedia * media)
{
  return media->encoder;
}

GObject *
mount_media_mount (MountMedia * media)
{
  return media->mount;
}
