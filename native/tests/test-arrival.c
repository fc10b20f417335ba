/* A live frame's arrival, found again by its timestamp and carried in a
 * meta. */
#include "source/arrival.h"
/* Its meta (linked in: a program is its file and the modules it names). */
#include "source/frame-stamp.h"

static void
test_found_by_timestamp (void)
{
  ArrivalTable *table = arrival_table_new ();

  arrival_table_note (table, 40 * GST_MSECOND, 1000);
  arrival_table_note (table, 80 * GST_MSECOND, 1040);
  g_assert_cmpint (arrival_table_find (table, 80 * GST_MSECOND), ==, 1040);
  g_assert_cmpint (arrival_table_find (table, 40 * GST_MSECOND), ==, 1000);
  g_assert_cmpint (arrival_table_find (table, 120 * GST_MSECOND), ==, 0);
  g_assert_cmpint (arrival_table_find (table, GST_CLOCK_TIME_NONE), ==, 0);
  arrival_table_free (table);
}

/* The oldest go once the table is full: a frame the decoder dropped
 * leaves no stale entry behind for long. */
static void
test_oldest_overwritten (void)
{
  ArrivalTable *table = arrival_table_new ();

  for (guint i = 0; i <= ARRIVAL_SLOTS; i++)
    arrival_table_note (table, i * GST_MSECOND, 1 + i);
  g_assert_cmpint (arrival_table_find (table, 0), ==, 0);
  g_assert_cmpint (arrival_table_find (table, ARRIVAL_SLOTS * GST_MSECOND),
      ==, 1 + ARRIVAL_SLOTS);
  arrival_table_free (table);
}

static void
test_meta_round_trip (void)
{
  GstBuffer *buffer = gst_buffer_new ();
  GstBuffer *copy;

  g_assert_cmpint (arrival_of (buffer), ==, 0);
  arrival_attach (buffer, 123456789);
  copy = gst_buffer_copy (buffer);
  g_assert_cmpint (arrival_of (copy), ==, 123456789);
  gst_buffer_unref (copy);
  gst_buffer_unref (buffer);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gst_init (NULL, NULL);
  g_test_add_func ("/arrival/found-by-timestamp", test_found_by_timestamp);
  g_test_add_func ("/arrival/oldest-overwritten", test_oldest_overwritten);
  g_test_add_func ("/arrival/meta-round-trip", test_meta_round_trip);
  return g_test_run ();
}
