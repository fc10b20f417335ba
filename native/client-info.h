/* One viewer's RTSP connection, as the helper follows it. */
#ifndef RTSP_HELPER_CLIENT_INFO_H
#define RTSP_HELPER_CLIENT_INFO_H

#include <gio/gio.h>

/* Shared (atomic refcount) by the client, its sessions and app->viewers. */
typedef struct
{
  guint id;
  gchar *address;
  guint port;
  GSocket *socket;              /* our own reference: see disconnect_client */
  GSocket *write_socket;
  /* Under app->lock: */
  gboolean playing;
  const gchar *transport;       /* "udp" or "tcp", from the first PLAY on */
  gchar *destination;           /* UDP: where RTP and RTCP go */
  guint rtcp_port;
} ClientInfo;

/* Drops one reference (a GDestroyNotify). */
void client_info_release (gpointer data);

#endif /* RTSP_HELPER_CLIENT_INFO_H */
