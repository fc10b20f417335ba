/* One viewer's RTSP connection, as the helper follows it. */
#ifndef RTSP_HELPER_CLIENT_INFO_H
#define RTSP_HELPER_CLIENT_INFO_H

#include <gio/gio.h>
#include <gst/rtsp/gstrtspconnection.h>
#include <gst/rtsp-server/rtsp-stream-transport.h>

#include "encoder/measure.h"
#include "link/protocol.h"

/* Where clients and sessions keep their ClientInfo (g_object_set_data). */
#define CLIENT_INFO_KEY "rtsp-helper-client-info"

/* Where a TCP viewer of a shared encoder stands (skip.c). */
typedef enum
{
  SKIP_SENDING,                 /* it gets every packet */
  SKIP_SKIPPING,                /* fallen behind: it gets none */
  SKIP_RESUMING,                /* caught up: it gets packets from a key frame */
} SkipPhase;

/* Shared (atomic refcount) by the client, its sessions and
 * app->connections. */
typedef struct
{
  guint id;
  gchar *address;
  guint port;
  /* Under app->lock: */
  GSocket *socket;              /* our own references, dropped at close */
  GSocket *write_socket;
  gboolean playing;
  const gchar *transport;       /* "udp" or "tcp", from the first PLAY on */
  gchar *destination;           /* UDP: where RTP and RTCP go */
  guint rtcp_port;
  /* Where the stream stood at its first PLAY: its reports are checked
   * against what was sent since. play_packets 0: from the media's start. */
  gboolean positioned;
  guint16 play_seq;
  guint64 play_packets;
  guint sessions;               /* sessions it set up that still exist */
  gchar *encoder_key;           /* the media it was given (mount-factory.c) */
  guint encoder;                /* the encoder it plays, from its PLAY on */
  const gchar *mount;           /* that encoder's (lives with the helper) */
  Measure *measure;             /* that encoder's */
  guint answers;                /* responses sent */
  gint64 answered_us;           /* the last one, or the connection */
  guint64 answered_bytes;       /* bytes received by then */
  gboolean closing;             /* shut down by the helper */
  /* Its RTCP (rtcp-gate.c): the packets it may still send now, when they
   * were last counted, and the bytes of a TCP viewer's, which share its
   * connection with its requests. */
  gdouble rtcp_tokens;
  gint64 rtcp_refilled_us;
  guint64 interleaved_bytes;
  /* Skipping (skip.c): the transport of a TCP viewer of a shared encoder,
   * a reference; NULL when it may not be skipped or no longer plays. */
  GstRTSPStreamTransport *skip_transport;
  GstPad *skip_key_pad;         /* its payloader's input: frames */
  guint skip_bitrate_kbps;
  SkipPhase skip_phase;
  gint64 skip_since_us;
  guint64 skip_from_bytes;      /* the encoder's bytes when it started */
  guint64 skipped_bytes;        /* in skips that ended */
  guint behind_samples;         /* main thread only */
  /* Main thread only (guard.c): */
  guint checked_answers;
  guint64 checked_bytes;
  gint64 unanswered_since_us;
  guint64 answered_interleaved_bytes;   /* interleaved_bytes at the last
                                         * answer (under app->lock) */
  gint64 active_us;             /* bytes last arrived, as far as seen */
  /* Client thread only: why the status of the response being made was
   * chosen by the helper (a static string), for its `rejected` record. */
  const gchar *rejection;
} ClientInfo;

/* Drops one reference (a GDestroyNotify). */
void client_info_release (gpointer data);

/* A new reference to the connection's socket, or NULL once it has closed.
 * Call with app->lock held. */
GSocket *client_info_ref_socket (ClientInfo * info, gboolean for_writing);
/* Takes the connection's sockets again: RTSP over HTTP reads requests from
 * a second socket once the tunnel is set up. Call with app->lock held. */
void client_info_follow_connection (ClientInfo * info,
    GstRTSPConnection * connection);
/* The peer's IP address, or NULL when the socket has none; *port is set
 * with it. */
gchar *client_info_peer_of (GSocket * socket, guint16 * port);
/* Adds client_id, and address and port when known. */
void client_info_add_to_record (const ClientInfo * info, Record * record);

#endif /* RTSP_HELPER_CLIENT_INFO_H */
