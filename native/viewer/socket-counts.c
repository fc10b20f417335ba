#include "viewer/socket-counts.h"

#include <stddef.h>
#include <netinet/in.h>
#include <linux/sockios.h>
#include <linux/tcp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

gboolean
socket_bytes_received (GSocket * socket, guint64 * bytes)
{
  struct tcp_info tcp;
  socklen_t length = sizeof tcp;

  if (getsockopt (g_socket_get_fd (socket), IPPROTO_TCP, TCP_INFO, &tcp,
          &length) != 0)
    return FALSE;
  if (length < offsetof (struct tcp_info, tcpi_bytes_received)
      + sizeof tcp.tcpi_bytes_received)
      return FALSE;
  *bytes = tcp.tcpi_bytes_received;
  return TRUE;
}

gboolean
socket_bytes_read (GSocket * socket, guint64 * bytes)
{
  gint unread;

  if (!socket_bytes_received (socket, bytes)
      || ioctl (g_socket_get_fd (socket), SIOCINQ, &unread) != 0)
    return FALSE;
  *bytes -= MIN ((guint64) MAX (unread, 0), *bytes);
  return TRUE;
}

gboolean
socket_bytes_unsent (GSocket * socket, gint * bytes)
{
  return ioctl (g_socket_get_fd (socket), SIOCOUTQ, bytes) == 0;
}

gboolean
socket_pace (GSocket * socket, guint bytes_per_second)
{
  return setsockopt (g_socket_get_fd (socket), SOL_SOCKET,
      SO_MAX_PACING_RATE, &bytes_per_second, sizeof bytes_per_second) == 0;
}

gchar *
socket_peer_of (GSocket * socket, guint16 * port)
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
