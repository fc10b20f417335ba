/* What the helper's WebRTC viewers share (WebrtcContext), and the mount a
 * viewer watches (WebrtcMount). */
#ifndef RTSP_HELPER_WEBRTC_CONTEXT_H
#define RTSP_HELPER_WEBRTC_CONTEXT_H

#include "link/protocol.h"
#include "source/source.h"
#include "viewer/viewers.h"

/* What every WebRTC viewer of the helper shares. */
typedef struct
{
  Protocol *protocol;
  Viewers *viewers;
  Source *source;
  const gchar *encoder_preset;
  gint fps;                     /* 0: the source's */
  const gchar *host;            /* candidates on it; a wildcard: on every
                                 * interface */
  guint min_port, max_port;     /* ICE's UDP ports; 0: any */
  gchar **ice_servers;          /* stun:// and turn(s):// URIs, or NULL */
  guint connect_timeout_s;      /* ICE and DTLS complete within it */
  gboolean rtx;                 /* resend what a viewer NACKs */
} WebrtcContext;

/* The mount it watches. */
typedef struct
{
  const gchar *path;            /* lives as long as the helper */
  gboolean adaptive;
  guint bitrate_kbps;           /* where its encoder starts */
} WebrtcMount;

#endif /* RTSP_HELPER_WEBRTC_CONTEXT_H */
