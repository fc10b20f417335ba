/* State shared by the helper's modules: one struct, owned by main(). */
#ifndef RTSP_HELPER_APP_H
#define RTSP_HELPER_APP_H

#include <gst/gst.h>
#include <gst/rtsp-server/rtsp-server.h>

#include "auth/digest.h"
#include "link/protocol.h"

struct _Mounts;
struct _Source;

#define EXIT_OK 0
#define EXIT_USAGE 2
#define EXIT_LISTEN_FAILED 3
#define EXIT_FATAL 4

#define MIN_BITRATE_KBPS 1
#define MAX_BITRATE_KBPS 2048000        /* x264enc's own limit */

/* Which transports a SETUP may ask for (--transport-policy). */
typedef enum
{
  TRANSPORT_POLICY_UDP,         /* any: UDP or TCP interleaved */
  TRANSPORT_POLICY_TCP,         /* UDP is answered 461 */
  TRANSPORT_POLICY_AUTO,        /* 461 to UDP from clients known to report
                                 * rarely (transport-policy.c) */
} TransportPolicy;

typedef struct
{
  gchar *file;
  gchar *mount;
  gchar *adaptive_mount;        /* a second, adaptive mount of the file */
  gint adaptive_bitrate_kbps;   /* where its encoders start */
  gchar *host;
  gint port;
  gint bitrate_kbps;
  gint width;
  gint height;
  gint fps;                     /* 0 keeps the file's */
  gint cleanup_interval;
  gint session_timeout;         /* seconds without a request or RTCP */
  gint max_viewers;             /* RTSP sessions at once, per mount */
  gint max_viewers_per_address; /* of them, from one client address */
  gint idle_timeout;            /* seconds a connection without a session may
                                 * go without a request */
  gint max_connections;         /* RTSP connections at once */
  gchar *auth_user;             /* NULL: no authentication */
  gchar *auth_password;
  gboolean auth_basic;          /* accept Basic as well as Digest */
  gboolean adaptive;            /* ask viewers for fast feedback (TWCC,
                                 * RTCP-Interval) and send sender reports
                                 * often: the mount's bitrate adapts */
  TransportPolicy transport_policy;
  gchar *encoder_preset;        /* x264enc speed-preset (--encoder-preset) */
  gint max_encoders;            /* per-viewer encoders at once; 0: one
                                 * encoder for every viewer */
  guint8 auth_key[DIGEST_KEY_BYTES];    /* signs Digest nonces */
} HelperConfig;

typedef struct
{
  HelperConfig config;
  Protocol protocol;
  GMainLoop *loop;
  GstRTSPServer *server;
  /* The file's one decode and the mounts it feeds. */
  struct _Source *source;
  struct _Mounts *mounts;
  GSocket *listener;
  GSource *listener_source;     /* admission.c accepts, not gst-rtsp-server */
  GIOChannel *stdin_channel;
  guint stdin_watch;
  guint sigint_watch;
  guint sigterm_watch;
  guint cleanup_timeout;
  guint queue_timeout;
  guint skip_timeout;
  guint guard_timeout;
  guint accept_pause_timeout;
  guint heartbeat_timeout;
  gint trim_pending;            /* atomic: a media's memory was freed */
  gboolean in_cleanup;          /* main thread only */
  guint next_client_id;         /* main thread only */

  /* Clients are closed on their own threads; commands run on the main
   * thread. */
  GMutex lock;
  guint open_clients;           /* connected, not yet closed */
  guint live_clients;           /* not yet finalized: their sockets are open */
  GList *connections;           /* ClientInfo of open RTSP connections,
                                 * newest first */
  GCond clients_closed;

  const gchar *bye_reason;      /* set once, by the first stop request */
  gint exit_code;
} App;

/* Stops the main loop; the first reason given wins. */
void app_quit (App * app, const gchar * reason, gint exit_code);

/* Closes every viewer's session and connection. One helper serves one
 * mount, so these are all the viewers of its media. */
void app_disconnect_viewers (App * app);

#endif /* RTSP_HELPER_APP_H */
