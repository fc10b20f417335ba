#include "encoder/frame-table.h"

void
frame_table_init (FrameTable * table)
{
  guint i;

  memset (table, 0, sizeof (*table));
  for (i = 0; i < FRAME_SLOTS; i++)
    table->frames[i].in_pts = table->frames[i].out_pts = GST_CLOCK_TIME_NONE;
}

static FrameSlot *
find_frame (FrameTable * table, gboolean encoded, GstClockTime pts)
{
  guint i;

  for (i = 0; i < FRAME_SLOTS; i++) {
    FrameSlot *slot = &table->frames[i];

    if ((encoded ? slot->out_pts : slot->in_pts) == pts)
      return slot;
  }
  return NULL;
}

/* The first frame still to be encoded. */
static FrameSlot *
oldest_pending (FrameTable * table)
{
  FrameSlot *oldest = NULL;
  guint i;

  for (i = 0; i < FRAME_SLOTS; i++) {
    FrameSlot *slot = &table->frames[i];

    if (GST_CLOCK_TIME_IS_VALID (slot->in_pts)
        && !GST_CLOCK_TIME_IS_VALID (slot->out_pts)
        && (oldest == NULL || slot->in_pts < oldest->in_pts))
      oldest = slot;
  }
  return oldest;
}

void
frame_table_add_input (FrameTable * table, GstClockTime pts, gint64 in_us,
    GstClockTime file_position)
{
  FrameSlot *slot = &table->frames[table->next_frame++ % FRAME_SLOTS];

  slot->in_pts = pts;
  slot->file_position = file_position;
  slot->out_pts = GST_CLOCK_TIME_NONE;
  slot->in_us = in_us;
}

void
frame_table_add_output (FrameTable * table, GstBuffer * encoded)
{
  GstClockTime pts = GST_BUFFER_PTS (encoded);
  FrameSlot *slot = NULL;

  if (table->have_pts_offset) {
    slot = find_frame (table, FALSE, pts - table->pts_offset);
  } else if ((slot = oldest_pending (table)) != NULL) {
    table->pts_offset = GST_CLOCK_DIFF (slot->in_pts, pts);
    table->have_pts_offset = TRUE;
  }
  if (slot != NULL) {
    slot->out_pts = pts;
    slot->bytes = gst_buffer_get_size (encoded);
    slot->key = !GST_BUFFER_FLAG_IS_SET (encoded, GST_BUFFER_FLAG_DELTA_UNIT);
  }
}

const FrameSlot *
frame_table_find_encoded (FrameTable * table, GstClockTime pts)
{
  return find_frame (table, TRUE, pts);
}
