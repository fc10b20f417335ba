/* Encoder output frames matched to their input frames. */
#include "encoder/frame-table.h"

#define FRAME_NS (GST_SECOND / 30)
/* x264enc's constant shift of every PTS. */
#define SHIFT_NS (1000 * GST_SECOND)

static GstBuffer *
encoded (GstClockTime pts, gsize bytes, gboolean key)
{
  GstBuffer *buffer = gst_buffer_new_allocate (NULL, bytes, NULL);

  GST_BUFFER_PTS (buffer) = pts;
  if (!key)
    GST_BUFFER_FLAG_SET (buffer, GST_BUFFER_FLAG_DELTA_UNIT);
  return buffer;
}

static void
add_output (FrameTable * table, GstClockTime pts, gsize bytes, gboolean key)
{
  GstBuffer *buffer = encoded (pts, bytes, key);

  frame_table_add_output (table, buffer);
  gst_buffer_unref (buffer);
}

static void
test_empty (void)
{
  FrameTable table;

  frame_table_init (&table);
  g_assert_null (frame_table_find_encoded (&table, 0));
  g_assert_null (frame_table_find_encoded (&table, SHIFT_NS));
  g_assert_false (table.have_pts_offset);
}

/* The first output learns the shift from the oldest input not yet
 * encoded; later ones are matched by it, in any order (B-frames). */
static void
test_matched_by_shift (void)
{
  FrameTable table;
  const FrameSlot *slot;

  frame_table_init (&table);
  for (guint i = 0; i < 4; i++)
    frame_table_add_input (&table, i * FRAME_NS, 100 + i, 5 * GST_SECOND +
        i * FRAME_NS);
  add_output (&table, SHIFT_NS, 5000, TRUE);
  g_assert_true (table.have_pts_offset);
  g_assert_cmpint (table.pts_offset, ==, SHIFT_NS);
  add_output (&table, SHIFT_NS + 2 * FRAME_NS, 300, FALSE);
  add_output (&table, SHIFT_NS + FRAME_NS, 200, FALSE);

  slot = frame_table_find_encoded (&table, SHIFT_NS);
  g_assert_nonnull (slot);
  g_assert_cmpuint (slot->in_pts, ==, 0);
  g_assert_cmpint (slot->in_us, ==, 100);
  g_assert_cmpuint (slot->bytes, ==, 5000);
  g_assert_true (slot->key);
  g_assert_cmpuint (slot->file_position, ==, 5 * GST_SECOND);

  slot = frame_table_find_encoded (&table, SHIFT_NS + FRAME_NS);
  g_assert_nonnull (slot);
  g_assert_cmpint (slot->in_us, ==, 101);
  g_assert_cmpuint (slot->bytes, ==, 200);
  g_assert_false (slot->key);

  slot = frame_table_find_encoded (&table, SHIFT_NS + 2 * FRAME_NS);
  g_assert_nonnull (slot);
  g_assert_cmpint (slot->in_us, ==, 102);

  /* Frame 3 is not encoded yet. */
  g_assert_null (frame_table_find_encoded (&table, SHIFT_NS + 3 * FRAME_NS));
}

/* An output whose input is not known is not matched to another frame. */
static void
test_unknown_output (void)
{
  FrameTable table;

  frame_table_init (&table);
  frame_table_add_input (&table, 0, 1, GST_CLOCK_TIME_NONE);
  add_output (&table, SHIFT_NS, 10, TRUE);
  add_output (&table, SHIFT_NS + 7 * FRAME_NS, 10, FALSE);
  g_assert_null (frame_table_find_encoded (&table, SHIFT_NS + 7 * FRAME_NS));
  g_assert_cmpuint (frame_table_find_encoded (&table, SHIFT_NS)->file_position,
      ==, GST_CLOCK_TIME_NONE);
}

/* The table holds the last FRAME_SLOTS inputs. */
static void
test_ring (void)
{
  FrameTable table;
  guint total = FRAME_SLOTS + 8;

  frame_table_init (&table);
  frame_table_add_input (&table, 0, 0, GST_CLOCK_TIME_NONE);
  add_output (&table, SHIFT_NS, 1, TRUE);
  for (guint i = 1; i < total; i++) {
    frame_table_add_input (&table, i * FRAME_NS, i, GST_CLOCK_TIME_NONE);
    add_output (&table, SHIFT_NS + i * FRAME_NS, i, FALSE);
  }
  for (guint i = 0; i < total; i++) {
    const FrameSlot *slot = frame_table_find_encoded (&table,
        SHIFT_NS + i * FRAME_NS);

    if (i < total - FRAME_SLOTS) {
      g_assert_null (slot);
    } else {
      g_assert_nonnull (slot);
      g_assert_cmpint (slot->in_us, ==, i);
    }
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gst_init (NULL, NULL);
  g_test_add_func ("/frame-table/empty", test_empty);
  g_test_add_func ("/frame-table/matched-by-shift", test_matched_by_shift);
  g_test_add_func ("/frame-table/unknown-output", test_unknown_output);
  g_test_add_func ("/frame-table/ring", test_ring);
  return g_test_run ();
}
