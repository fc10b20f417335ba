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
