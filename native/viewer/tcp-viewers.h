/* The viewers playing over TCP, each with references of its own, for the
 * timers that sample their sockets outside app->lock (viewers.c, skip.c). */
#ifndef RTSP_HELPER_TCP_VIEWERS_H
#define RTSP_HELPER_TCP_VIEWERS_H

#include "main/app.h"
#include "viewer/client-info.h"

typedef struct
{
  ClientInfo *info;
  GSocket *socket;
  Measure *measure;             /* its encoder's, once it played */
  const gchar *mount;
} TcpViewer;

/* Those that `wanted` accepts (every one when NULL); `wanted` runs under
 * app->lock. Free with tcp_viewers_free(). Main thread. */
GList *tcp_viewers_list (App * app, gboolean (*wanted) (const ClientInfo *
        info));
void tcp_viewers_free (GList * viewers);
/* Bytes the kernel still holds for the viewer (SIOCOUTQ); FALSE when the
 * socket cannot say. */
gboolean tcp_viewer_unsent (const TcpViewer * viewer, gint * unsent_bytes);

#endif /* RTSP_HELPER_TCP_VIEWERS_H */
