/* Every viewer of the helper, whatever its kind: who sent an RTCP packet,
 * which viewers play an encoder, how many there are. */
#ifndef RTSP_HELPER_VIEWERS_H
#define RTSP_HELPER_VIEWERS_H

#include "viewer/viewer.h"

typedef struct _Viewers Viewers;

Viewers *viewers_new (void);
void viewers_free (Viewers * viewers);

/* Keeps a reference until viewers_remove(). Any thread. */
void viewers_add (Viewers * viewers, Viewer * viewer);
void viewers_remove (Viewers * viewers, Viewer * viewer);

/* A new reference to each viewer, for use without the registry's lock:
 * free with viewers_list_free(). Any thread. */
GList *viewers_list (Viewers * viewers);
void viewers_list_free (GList * list);
guint viewers_count (Viewers * viewers);

/* A new reference to the viewer whose RTCP comes from address:port, or
 * NULL. Any thread. */
Viewer *viewers_find_rtcp_sender (Viewers * viewers, const gchar * address,
    guint port);
/* Paces the viewers of an encoder (0: of every encoder; see
 * viewer_pace()). Any thread. */
void viewers_pace (Viewers * viewers, guint encoder, guint bitrate_kbps);
/* Ends every viewer. Any thread. */
void viewers_disconnect_all (Viewers * viewers);
/* Waits until every viewer has left, or the monotonic deadline passed. */
void viewers_wait_empty (Viewers * viewers, gint64 deadline_us);

#endif /* RTSP_HELPER_VIEWERS_H */
