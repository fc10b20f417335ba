/* Matches the encoder's output frames to its input frames, to time each
 * frame from the encoder's input to the payloader's output. Not locked: the
 * caller serialises access. */
#ifndef RTSP_HELPER_FRAME_TABLE_H
#define RTSP_HELPER_FRAME_TABLE_H

#include <gst/gst.h>

/* Frames between the encoder's input and the payloader's output: x264enc
 * zerolatency holds none, the appsrc queue a few. */
#define FRAME_SLOTS 32

typedef struct
{
  GstClockTime in_pts;
  GstClockTime out_pts;         /* NONE until encoded */
  GstClockTime file_position;   /* NONE when not known */
  gint64 in_us;
  gsize bytes;
  gboolean key;
} FrameSlot;

typedef struct
{
  FrameSlot frames[FRAME_SLOTS];
  guint next_frame;
  /* x264enc shifts every PTS by one constant (GstVideoEncoder's min-pts),
   * learnt from its first frame: output PTS = input PTS + pts_offset. */
  GstClockTimeDiff pts_offset;
  gboolean have_pts_offset;
} FrameTable;

void frame_table_init (FrameTable * table);
/* A raw frame entering the encoder at in_us. */
void frame_table_add_input (FrameTable * table, GstClockTime pts,
    gint64 in_us, GstClockTime file_position);
/* An encoded frame leaving the encoder. */
void frame_table_add_output (FrameTable * table, GstBuffer * encoded);
/* The frame encoded with that PTS, or NULL when it is no longer known. */
const FrameSlot *frame_table_find_encoded (FrameTable * table,
    GstClockTime pts);

#endif /* RTSP_HELPER_FRAME_TABLE_H */
