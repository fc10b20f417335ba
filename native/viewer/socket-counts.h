/* What the kernel knows of a viewer's TCP connection. */
#ifndef RTSP_HELPER_SOCKET_COUNTS_H
#define RTSP_HELPER_SOCKET_COUNTS_H

#include <gio/gio.h>

/* The peer's IP address, or NULL when the socket has none; *port is set
 * with it. */
gchar *socket_peer_of (GSocket * socket, guint16 * port);
/* Bytes received on it so far (TCP_INFO). gst-rtsp-server reads a request
 * whole before anyone sees it, and keeps every header line of it in
 * memory: this count is how a request that never ends is seen. */
gboolean socket_bytes_received (GSocket * socket, guint64 * bytes);
/* Of those, what gst-rtsp-server has read: the rest still waits in the
 * kernel (SIOCINQ). */
gboolean socket_bytes_read (GSocket * socket, guint64 * bytes);
/* Bytes it holds that the peer has not taken yet (SIOCOUTQ). */
gboolean socket_bytes_unsent (GSocket * socket, gint * bytes);
/* Caps what it sends at bytes_per_second (SO_MAX_PACING_RATE). */
gboolean socket_pace (GSocket * socket, guint bytes_per_second);

#endif /* RTSP_HELPER_SOCKET_COUNTS_H */
