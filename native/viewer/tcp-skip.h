/* Where a TCP viewer of a shared encoder stands (static mounts): a viewer
 * whose path cannot take the stream is skipped, as the media would
 * otherwise wait for it (while it is the media's only TCP viewer,
 * gst-rtsp-server stops taking the media's packets for every viewer), and
 * resumed from a key frame once it caught up, so it misses whole frames.
 * Not locked: its viewer's lock guards it. */
#ifndef RTSP_HELPER_TCP_SKIP_H
#define RTSP_HELPER_TCP_SKIP_H

#include <gst/rtsp-server/rtsp-server.h>

#include "encoder/measure.h"

typedef enum
{
  SKIP_SENDING,                 /* it gets every packet */
  SKIP_SKIPPING,                /* fallen behind: it gets none */
  SKIP_RESUMING,                /* caught up: it gets packets from a key frame */
} SkipPhase;

typedef struct
{
  /* Its transport, a reference; NULL when it may not be skipped or no
   * longer plays. */
  GstRTSPStreamTransport *transport;
  GstPad *key_pad;              /* its payloader's input: frames */
  guint bitrate_kbps;
  SkipPhase phase;
  gint64 since_us;
  guint64 from_bytes;           /* the encoder's bytes when it started */
  guint64 skipped_bytes;        /* in skips that ended */
  guint behind_samples;
} TcpSkip;

/* What a sample asks of its caller, outside the lock: references. */
typedef struct
{
  GstRTSPStreamTransport *leave;        /* take it out of the stream */
  GstRTSPStreamTransport *resume;       /* put it back at a key frame */
} TcpSkipChange;

typedef struct
{
  gint64 skipped_us;
  guint64 skipped_bytes;
} TcpSkipResumed;

/* Called once the viewer is back in the stream, on the payloader's
 * streaming thread, without the lock. */
typedef void (*TcpSkipResume) (GObject * owner,
    const TcpSkipResumed * resumed);

/* The viewer plays a shared encoder over TCP: it may be skipped. */
void tcp_skip_allow (TcpSkip * skip, GstRTSPMedia * media,
    GstRTSPStreamTransport * transport, guint bitrate_kbps);
/* It no longer plays: never skipped, nor resumed. */
void tcp_skip_forget (TcpSkip * skip);
/* One sample of what waits in its socket, 100 ms after the last one. */
TcpSkipChange tcp_skip_sample (TcpSkip * skip, gboolean playing,
    gint unsent_bytes, const StreamPosition * position);
void tcp_skip_change_clear (TcpSkipChange * change);
/* What it was offered: its encoder's bytes, less those skipped. */
guint64 tcp_skip_offered_bytes (const TcpSkip * skip,
    const StreamPosition * position);
/* Puts the transport back in the stream before the next key frame's
 * packets are made, under `lock` (the skip's), so that it never joins
 * after its viewer stopped playing. Holds a reference to `owner`. */
void tcp_skip_resume_at_key_frame (TcpSkip * skip, GMutex * lock,
    Measure * measure, GstRTSPStreamTransport * transport,
    TcpSkipResume resumed, GObject * owner);

#endif /* RTSP_HELPER_TCP_SKIP_H */
