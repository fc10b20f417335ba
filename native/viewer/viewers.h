/* What measuring needs to know of the viewers: who sent an RTCP packet, and
 * how many bytes wait in each TCP viewer's socket (`queue` records). */
#ifndef RTSP_HELPER_VIEWERS_H
#define RTSP_HELPER_VIEWERS_H

#include "main/app.h"
#include "viewer/client-info.h"

/* Starts the `queue` timer (every 250 ms, main thread); returns its source id. */
guint viewers_sample_queues (App * app);
/* An adaptive mount paces its TCP viewers at this multiple of the encoder's
 * bitrate: after a cut, TCP can no longer push its backlog into the path
 * faster than the path takes it (the bottleneck dropped 20-90 % of what TCP
 * offered for seconds after a 2.5 -> 0.6 Mbit/s drop), yet stays above the
 * path's capacity at a cut to 60-85 % of it, so the backlog drains as fast;
 * a key frame leaves at 1.5 times the bitrate instead of in one burst. */
#define TCP_PACING_GAIN 1.5

/* Sets the SO_MAX_PACING_RATE of each TCP viewer of an encoder for its
 * bitrate, or of the viewer `only` when it is not NULL. Any thread,
 * without app->lock. */
void viewers_pace_tcp (App * app, guint bitrate_kbps, guint encoder,
    ClientInfo * only);

typedef enum
{
  RTCP_ADMITTED,
  RTCP_FROM_STRANGER,           /* no viewer's address and port */
  RTCP_OVER_RATE,               /* its viewer sent RTCP_GATE_RATE already */
} RtcpAdmission;

/* Whether an RTCP packet of `bytes` from address:port goes on to the
 * media, charging its viewer's budget; a TCP viewer's packets are counted
 * as what its connection carried besides requests. Any thread. */
RtcpAdmission viewers_admit_rtcp (App * app, const gchar * address,
    guint port, gsize bytes);

/* A viewer that sent RTCP, and where the stream stood when it started. */
typedef struct
{
  guint client_id;
  const gchar *transport;       /* "udp" or "tcp" */
  gboolean positioned;
  guint16 play_seq;
  guint64 play_packets;
} RtcpSender;

/* The viewer whose RTCP comes from address:port: its RTCP port on
 * UDP, its RTSP connection on TCP. Any thread. */
gboolean viewers_find_rtcp_sender (App * app, const gchar * address,
    guint port, RtcpSender * sender);

#endif /* RTSP_HELPER_VIEWERS_H */
