/* The helper's command line, and its credentials from the environment
 * (auth/credentials.h); a live source's URI and the ICE servers too, as
 * they may hold one. */
#define URI_ENV "RTSP_HELPER_URI"
/* WebRTC viewers' STUN and TURN servers, space-separated: a TURN URI
 * holds a password, which a command line would show to every user. */
#define ICE_SERVERS_ENV "RTSP_HELPER_ICE_SERVERS"
#ifndef RTSP_HELPER_OPTIONS_H
#define RTSP_HELPER_OPTIONS_H

#include "auth/credentials.h"
#include "link/protocol.h"
#include "source/audio-codec.h"
#include "viewer/transport-policy.h"

typedef struct
{
  gchar *file;
  gchar *uri;                   /* a live source (--live, RTSP_HELPER_URI) */
  gint linger_s;                /* a live source kept after its last viewer */
  gboolean always_on;           /* a live source pulled from the start */
  gchar *mount;
  gchar *adaptive_mount;        /* a second, adaptive mount of the file */
  gint adaptive_bitrate_kbps;   /* where its encoders start */
  gchar *host;
  gint port;
  gint bitrate_kbps;
  gint width;
  gint height;
  gint fps;                     /* 0 keeps the file's */
  AudioCodec audio;             /* the mounts' audio stream (--audio) */
  gint cleanup_interval;
  gint session_timeout;         /* seconds without a request or RTCP */
  gint max_viewers;             /* RTSP sessions at once, per mount */
  gint max_viewers_per_address; /* of them, from one client address */
  gint idle_timeout;            /* seconds a connection without a session may
                                 * go without a request */
  gint max_connections;         /* RTSP connections at once */
  gboolean adaptive;            /* ask viewers for fast feedback (TWCC,
                                 * RTCP-Interval) and send sender reports
                                 * often: the mount's bitrate adapts */
  TransportPolicy transport_policy;
  gchar *encoder_preset;        /* x264enc speed-preset (--encoder-preset) */
  gint max_encoders;            /* per-viewer encoders at once; 0: one
                                 * encoder for every viewer */
  guint webrtc_min_port;        /* ICE's UDP ports (--webrtc-ports); 0: any */
  guint webrtc_max_port;
  gchar **ice_servers;          /* stun:// and turn(s):// (ICE_SERVERS_ENV) */
  gint webrtc_connect_timeout_s;  /* ICE and DTLS complete within it */
  gboolean webrtc_no_rtx;       /* WebRTC viewers' NACKs go unanswered */
  Credentials credentials;
} HelperConfig;

/* Fills config. On a bad command line, emits a `usage` error record and
 * returns FALSE. */
gboolean options_parse (HelperConfig * config, Protocol * protocol,
    gint * argc, gchar *** argv);
void options_clear (HelperConfig * config);

#endif /* RTSP_HELPER_OPTIONS_H */
