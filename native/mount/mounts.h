/* The mounts one helper serves of its file: a fixed-bitrate one, an
 * adaptive one, or both, each a MountFactory. */
#ifndef RTSP_HELPER_MOUNTS_H
#define RTSP_HELPER_MOUNTS_H

#include "mount/mount-factory.h"

#define MAX_MOUNTS 2

typedef struct _Mounts
{
  MountFactory *factory[MAX_MOUNTS];
  guint count;
} Mounts;

/* The mount a request's path is for ("/video2" and "/video2/stream=0"
 * are /video2's), or NULL. */
MountFactory *mounts_find (const Mounts * mounts, const gchar * path);
/* The mount of the request in ctx, or NULL. */
MountFactory *mounts_of_request (const Mounts * mounts,
    const GstRTSPContext * ctx);
/* Drops every mount. */
void mounts_clear (Mounts * mounts);

#endif /* RTSP_HELPER_MOUNTS_H */
