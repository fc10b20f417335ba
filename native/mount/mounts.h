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
/* Sets the bitrate of one encoder of any mount (its id), or of every
 * encoder and of the ones made later (encoder 0). FALSE when there is no
 * such encoder. Main thread. */
gboolean mounts_set_bitrate (const Mounts * mounts, guint encoder,
    guint bitrate_kbps);
/* Stops configuring new medias and unprepares every one. Main thread. */
void mounts_stop (const Mounts * mounts);
/* Drops every mount. */
void mounts_clear (Mounts * mounts);

#endif /* RTSP_HELPER_MOUNTS_H */
