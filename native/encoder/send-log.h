/* The RTP packets a media sent lately, by sequence number: what TWCC
 * feedback is matched against. Not locked: the caller serialises access. */
#ifndef RTSP_HELPER_SEND_LOG_H
#define RTSP_HELPER_SEND_LOG_H

#include <glib.h>

/* A power of two: about 5 s of packets at 8 Mbit/s, the highest bitrate;
 * feedback comes within a frame or two. */
#define SEND_LOG_SLOTS 4096

typedef struct
{
  gint64 sent_us;               /* when it left the payloader */
  guint32 rtp_time;             /* one per frame: packets of a frame share it */
  guint32 bytes;
  guint16 seq;
  gboolean used;
} SentPacket;

typedef struct
{
  SentPacket slots[SEND_LOG_SLOTS];
} SendLog;

void send_log_add (SendLog * log, guint16 seq, guint32 rtp_time, guint bytes,
    gint64 sent_us);
/* The packet sent with this sequence number within the last
 * SEND_LOG_SLOTS, or NULL. */
const SentPacket *send_log_find (const SendLog * log, guint16 seq);

#endif /* RTSP_HELPER_SEND_LOG_H */
