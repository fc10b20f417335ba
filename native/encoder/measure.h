/* A media's measurements: `frame` and `stats` records, and what it sent
 * (send-log.h) for the viewers' feedback to be checked against. */
#ifndef RTSP_HELPER_MEASURE_H
#define RTSP_HELPER_MEASURE_H

#include <gst/gst.h>

#include "link/protocol.h"
#include "encoder/send-log.h"

typedef struct _Measure Measure;

/* Where the stream stands, from the packets that left pay0. */
typedef struct
{
  gboolean started;             /* a packet has left: the rest is known */
  guint32 ssrc;
  guint16 first_seq;
  guint16 next_seq;
  guint64 packets;              /* since the media started */
  guint64 bytes;
} StreamPosition;

/* Probes enc and pay0, and emits `stats` every second; its records name
 * the encoder. Any thread. */
Measure *measure_start (Protocol * protocol, guint encoder, const gchar * mount,
    GstElement * enc, GstElement * pay);
/* Removes the probes and timers and drops the caller's reference. */
void measure_stop (Measure * measure);
Measure *measure_ref (Measure * measure);
void measure_unref (gpointer measure);

/* The id of the encoder measured, for records about its stream. */
guint measure_encoder (Measure * measure);
/* The mount that encoder serves. */
const gchar *measure_mount (Measure * measure);

/* Any thread. */
void measure_position (Measure * measure, StreamPosition * position);
/* The send log, locked until measure_unlock_send_log(): take nothing else
 * meanwhile. */
const SendLog *measure_lock_send_log (Measure * measure,
    StreamPosition * position);
void measure_unlock_send_log (Measure * measure);

#endif /* RTSP_HELPER_MEASURE_H */
