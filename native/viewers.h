/* What measuring needs to know of the viewers: who sent an RTCP packet, and
 * how many bytes wait in each TCP viewer's socket (`queue` records). */
#ifndef RTSP_HELPER_VIEWERS_H
#define RTSP_HELPER_VIEWERS_H

#include "app.h"

/* Starts the `queue` timer (every 250 ms, main thread); returns its source id. */
guint viewers_sample_queues (App * app);
/* The viewer whose RTCP comes from address:port: its RTCP port on
 * UDP, its RTSP connection on TCP. Any thread. */
gboolean viewers_find_rtcp_sender (App * app, const gchar * address,
    guint port, guint * client_id, const gchar ** transport);

#endif /* RTSP_HELPER_VIEWERS_H */
