/* A raw frame's position in its file, carried in a meta. */
#include "source/file-position.h"
/* Its meta (linked in: a program is its file and the modules it names). */
#include "source/frame-stamp.h"

static void
test_round_trip (void)
{
  GstBuffer *buffer = gst_buffer_new ();

  g_assert_cmpuint (file_position_of (buffer), ==, GST_CLOCK_TIME_NONE);
  file_position_attach (buffer, 42 * GST_MSECOND);
  g_assert_cmpuint (file_position_of (buffer), ==, 42 * GST_MSECOND);
  /* Position 0, the file's start, is a position. */
  gst_buffer_unref (buffer);
  buffer = gst_buffer_new ();
  file_position_attach (buffer, 0);
  g_assert_cmpuint (file_position_of (buffer), ==, 0);
  gst_buffer_unref (buffer);
}

static void
test_none_attaches_nothing (void)
{
  GstBuffer *buffer = gst_buffer_new ();

  file_position_attach (buffer, GST_CLOCK_TIME_NONE);
  g_assert_null (gst_buffer_get_meta (buffer,
          GST_REFERENCE_TIMESTAMP_META_API_TYPE));
  gst_buffer_unref (buffer);
}

/* Another reference timestamp (an NTP clock's) is not a file position. */
static void
test_other_references_ignored (void)
{
  GstBuffer *buffer = gst_buffer_new ();
  GstCaps *ntp = gst_caps_new_empty_simple ("timestamp/x-ntp");

  gst_buffer_add_reference_timestamp_meta (buffer, ntp, 7, GST_CLOCK_TIME_NONE);
  g_assert_cmpuint (file_position_of (buffer), ==, GST_CLOCK_TIME_NONE);
  file_position_attach (buffer, 9);
  g_assert_cmpuint (file_position_of (buffer), ==, 9);
  gst_caps_unref (ntp);
  gst_buffer_unref (buffer);
}

/* A copy of the buffer (a writable one made for the encoder) keeps it. */
static void
test_copied (void)
{
  GstBuffer *buffer = gst_buffer_new ();
  GstBuffer *copy;

  file_position_attach (buffer, 3 * GST_SECOND);
  copy = gst_buffer_copy (buffer);
  g_assert_cmpuint (file_position_of (copy), ==, 3 * GST_SECOND);
  gst_buffer_unref (copy);
  gst_buffer_unref (buffer);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gst_init (NULL, NULL);
  g_test_add_func ("/file-position/round-trip", test_round_trip);
  g_test_add_func ("/file-position/none-attaches-nothing",
      test_none_attaches_nothing);
  g_test_add_func ("/file-position/other-references-ignored",
      test_other_references_ignored);
  g_test_add_func ("/file-position/copied", test_copied);
  return g_test_run ();
}
