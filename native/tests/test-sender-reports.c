/* The sender reports a media sent lately, found by a receiver report's
 * LSR. */
#include "feedback/sender-reports.h"

static void
test_found_by_compact_ntp (void)
{
  SenderReports reports = { 0 };
  gint64 sent_us = -1;

  sender_reports_add (&reports, 0x11112222, 1000);
  sender_reports_add (&reports, 0x33334444, 2000);
  g_assert_true (sender_reports_find (&reports, 0x11112222, &sent_us));
  g_assert_cmpint (sent_us, ==, 1000);
  g_assert_true (sender_reports_find (&reports, 0x33334444, &sent_us));
  g_assert_cmpint (sent_us, ==, 2000);
  g_assert_false (sender_reports_find (&reports, 0x55556666, &sent_us));
  g_assert_cmpint (sent_us, ==, 2000);
}

/* LSR 0: the viewer has received no sender report (RFC 3550 6.4.1), even
 * if one of ours had that compact time. */
static void
test_zero_lsr_names_none (void)
{
  SenderReports reports = { 0 };
  gint64 sent_us = -1;

  g_assert_false (sender_reports_find (&reports, 0, &sent_us));
  sender_reports_add (&reports, 0, 1000);
  g_assert_false (sender_reports_find (&reports, 0, &sent_us));
  g_assert_cmpint (sent_us, ==, -1);
}

/* The last SENDER_REPORT_SLOTS are kept, the oldest forgotten. */
static void
test_ring_keeps_the_last (void)
{
  SenderReports reports = { 0 };
  guint total = SENDER_REPORT_SLOTS + 10;
  gint64 sent_us;

  for (guint i = 1; i <= total; i++)
    sender_reports_add (&reports, i, 1000 * i);
  for (guint i = 1; i <= total; i++) {
    gboolean kept = i > total - SENDER_REPORT_SLOTS;

    sent_us = -1;
    g_assert_cmpint (sender_reports_find (&reports, i, &sent_us), ==, kept);
    g_assert_cmpint (sent_us, ==, kept ? 1000 * (gint64) i : -1);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sender-reports/found-by-compact-ntp",
      test_found_by_compact_ntp);
  g_test_add_func ("/sender-reports/zero-lsr-names-none",
      test_zero_lsr_names_none);
  g_test_add_func ("/sender-reports/ring-keeps-the-last",
      test_ring_keeps_the_last);
  return g_test_run ();
}
