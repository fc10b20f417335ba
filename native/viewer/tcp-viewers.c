#include "viewer/tcp-viewers.h"

#include <linux/sockios.h>
#include <sys/ioctl.h>

static void
tcp_viewer_free (gpointer data)
{
  TcpViewer *viewer = data;

  client_info_release (viewer->info);
  g_object_unref (viewer->socket);
  g_clear_pointer (&viewer->measure, measure_unref);
  g_free (viewer);
}

GList *
tcp_viewers_list (App * app, gboolean (*wanted) (const ClientInfo * info))
{
  GList *viewers = NULL, *walk;

  g_mutex_lock (&app->lock);
  for (walk = app->connections; walk != NULL; walk = walk->next) {
    ClientInfo *info = walk->data;
    TcpViewer *viewer;
    GSocket *socket;

    if (!info->playing || g_strcmp0 (info->transport, "tcp") != 0
        || (wanted != NULL && !wanted (info)))
      continue;
    socket = client_info_ref_socket (info, TRUE);
    if (socket == NULL)
      continue;
    viewer = g_new (TcpViewer, 1);
    viewer->info = g_atomic_rc_box_acquire (info);
    viewer->socket = socket;
    viewer->measure = info->measure == NULL ? NULL :
        measure_ref (info->measure);
    viewer->mount = info->mount;
    viewers = g_list_prepend (viewers, viewer);
  }
  g_mutex_unlock (&app->lock);
  return viewers;
}

void
tcp_viewers_free (GList * viewers)
{
  g_list_free_full (viewers, tcp_viewer_free);
}

gboolean
tcp_viewer_unsent (const TcpViewer * viewer, gint * unsent_bytes)
{
  return ioctl (g_socket_get_fd (viewer->socket), SIOCOUTQ, unsent_bytes)
      == 0;
}
