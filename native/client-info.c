#include "client-info.h"

static void
client_info_clear (gpointer data)
{
  ClientInfo *info = data;

  g_clear_object (&info->socket);
  g_clear_object (&info->write_socket);
  g_free (info->address);
  g_free (info->destination);
}

void
client_info_release (gpointer data)
{
  g_atomic_rc_box_release_full (data, client_info_clear);
}

void
client_info_follow_connection (ClientInfo * info,
    GstRTSPConnection * connection)
{
  GSocket *read_socket = gst_rtsp_connection_get_read_socket (connection);
  GSocket *write_socket = gst_rtsp_connection_get_write_socket (connection);

  /* Not once closed: the references were dropped for good. */
  if (info->socket == NULL)
    return;
  if (read_socket != NULL)
    g_set_object (&info->socket, read_socket);
  if (write_socket != NULL)
    g_set_object (&info->write_socket, write_socket);
}

GSocket *
client_info_ref_socket (ClientInfo * info, gboolean for_writing)
{
  GSocket *socket = for_writing ? info->write_socket : info->socket;

  return socket == NULL ? NULL : g_object_ref (socket);
}
