#include "viewer/client-info.h"

static void
client_info_clear (gpointer data)
{
  ClientInfo *info = data;

  g_clear_object (&info->socket);
  g_clear_object (&info->write_socket);
  g_free (info->address);
  g_free (info->destination);
  g_free (info->encoder_key);
  g_clear_pointer (&info->measure, measure_unref);
  g_clear_object (&info->skip_transport);
  g_clear_object (&info->skip_key_pad);
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

gchar *
client_info_peer_of (GSocket * socket, guint16 * port)
{
  GSocketAddress *remote = g_socket_get_remote_address (socket, NULL);
  gchar *address = NULL;

  if (remote != NULL && G_IS_INET_SOCKET_ADDRESS (remote)) {
    GInetSocketAddress *inet = G_INET_SOCKET_ADDRESS (remote);

    address =
        g_inet_address_to_string (g_inet_socket_address_get_address (inet));
    *port = g_inet_socket_address_get_port (inet);
  }
  g_clear_object (&remote);
  return address;
}

void
client_info_add_to_record (const ClientInfo * info, Record * record)
{
  record_add_int (record, "client_id", info->id);
  if (info->address != NULL) {
    record_add_string (record, "address", info->address);
    record_add_int (record, "port", info->port);
  }
}
