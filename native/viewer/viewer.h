/* What the rest of the helper knows of a viewer, whatever carries its
 * stream: an RTSP client today (viewer/rtsp-viewer.c), a WebRTC peer next.
 * The RTCP gate, the feedback reader and the mounts talk to viewers only
 * through this interface and the registry (viewer/viewers.h). */
#ifndef RTSP_HELPER_VIEWER_H
#define RTSP_HELPER_VIEWER_H

#include <glib-object.h>

#include "link/protocol.h"

G_BEGIN_DECLS

#define VIEWER_TYPE (viewer_get_type ())
G_DECLARE_INTERFACE (Viewer, viewer, HELPER, VIEWER, GObject);

/* Where the stream stood when the viewer started playing: its reports are
 * checked against what was sent since. */
typedef struct
{
  guint client_id;
  const gchar *transport;       /* "udp", "tcp" (static strings) */
  gboolean positioned;          /* a PLAY found its encoder */
  guint16 play_seq;
  guint64 play_packets;         /* 0: from the media's start */
} ViewerPlay;

typedef enum
{
  VIEWER_RTCP_TAKEN,
  VIEWER_RTCP_OVER_RATE,        /* past its RTCP_BUDGET_RATE */
} ViewerRtcp;

struct _ViewerInterface
{
  GTypeInterface parent_iface;

  /* Unique in the process, from 1; names it in records. */
  guint (*id) (Viewer * self);
  /* Its `client_id`, `address` and `port` in a record. */
  void (*add_to_record) (Viewer * self, Record * record);
  /* Whether RTCP from address:port is this viewer's. Any thread. */
  gboolean (*sends_rtcp_from) (Viewer * self, const gchar * address,
      guint port);
  /* Charges an RTCP packet of `bytes` to the viewer's budget. */
  ViewerRtcp (*take_rtcp) (Viewer * self, gsize bytes, gint64 now_us);
  /* FALSE before it plays. */
  gboolean (*play) (Viewer * self, ViewerPlay * play);
  /* Its encoder's bitrate is now bitrate_kbps: pace what it is sent, if
   * it plays that encoder (0: whichever it plays). Any thread. */
  void (*pace) (Viewer * self, guint encoder, guint bitrate_kbps);
  /* Ends it: the viewer leaves as if it had gone away. Any thread. */
  void (*disconnect) (Viewer * self);
};

guint viewer_id (Viewer * self);
void viewer_add_to_record (Viewer * self, Record * record);
gboolean viewer_sends_rtcp_from (Viewer * self, const gchar * address,
    guint port);
ViewerRtcp viewer_take_rtcp (Viewer * self, gsize bytes, gint64 now_us);
gboolean viewer_play (Viewer * self, ViewerPlay * play);
void viewer_pace (Viewer * self, guint encoder, guint bitrate_kbps);
void viewer_disconnect (Viewer * self);

G_END_DECLS

#endif /* RTSP_HELPER_VIEWER_H */
