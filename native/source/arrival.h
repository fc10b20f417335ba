/* When a live source's frame reached the helper: noted as it enters the
 * decoder (its timestamp, the monotonic time), found again by timestamp
 * once decoded and scaled, and carried to the encoder in a reference
 * timestamp meta of caps timestamp/x-arrival, so that a live frame's
 * latency runs from its arrival to the payloader, decode and scale
 * included. */
#ifndef RTSP_HELPER_ARRIVAL_H
#define RTSP_HELPER_ARRIVAL_H

#include <gst/gst.h>

/* Frames between the decoder's input and the appsink: a decoder holds a
 * few, the queue three. */
#define ARRIVAL_SLOTS 64

typedef struct _ArrivalTable ArrivalTable;

ArrivalTable *arrival_table_new (void);
void arrival_table_free (ArrivalTable * table);
/* A frame with this timestamp arrived now. Streaming thread. */
void arrival_table_note (ArrivalTable * table, GstClockTime pts,
    gint64 arrival_us);
/* When the frame with this timestamp arrived, 0 when not noted (or
 * overwritten). Any thread. */
gint64 arrival_table_find (ArrivalTable * table, GstClockTime pts);

/* Does nothing when arrival_us is 0. */
void arrival_attach (GstBuffer * buffer, gint64 arrival_us);
/* 0 when the buffer carries none. */
gint64 arrival_of (GstBuffer * buffer);

#endif /* RTSP_HELPER_ARRIVAL_H */
