#include "mount/mounts.h"

/* The longest mount that is the path or a folder of it: /forest/adaptive/stream=0 belongs to
 * /forest/adaptive, not to /forest. */
MountFactory *
mounts_find (const Mounts * mounts, const gchar * path)
{
  MountFactory *found = NULL;
  gsize found_length = 0;

  if (path == NULL)
    return NULL;
  for (guint i = 0; i < mounts->count; i++) {
    const gchar *mount = mount_factory_path (mounts->factory[i]);
    gsize length = strlen (mount);

    if (length > found_length && strncmp (path, mount, length) == 0
        && (path[length] == '\0' || path[length] == '/')) {
      found = mounts->factory[i];
      found_length = length;
    }
  }
  return found;
}

MountFactory *
mounts_of_request (const Mounts * mounts, const GstRTSPContext * ctx)
{
  return ctx == NULL || ctx->uri == NULL ? NULL :
      mounts_find (mounts, ctx->uri->abspath);
}

gboolean
mounts_set_bitrate (const Mounts * mounts, guint encoder, guint bitrate_kbps)
{
  gboolean found = FALSE;

  for (guint i = 0; i < mounts->count; i++)
    found |= mount_factory_set_bitrate (mounts->factory[i], encoder,
        bitrate_kbps);
  return found;
}

void
mounts_stop (const Mounts * mounts)
{
  for (guint i = 0; i < mounts->count; i++)
    mount_factory_stop (mounts->factory[i]);
}

void
mounts_clear (Mounts * mounts)
{
  for (guint i = 0; i < mounts->count; i++)
    g_clear_object (&mounts->factory[i]);
  mounts->count = 0;
}
