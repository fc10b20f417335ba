/* The RTP packets a media sent lately, by sequence number. */
#include "encoder/send-log.h"

static void
test_found_by_sequence_number (void)
{
  SendLog *log = g_new0 (SendLog, 1);
  const SentPacket *sent;

  g_assert_null (send_log_find (log, 0));
  g_assert_null (send_log_find (log, 42));
  send_log_add (log, 42, 90000, 1400, 123456);
  sent = send_log_find (log, 42);
  g_assert_nonnull (sent);
  g_assert_cmpuint (sent->seq, ==, 42);
  g_assert_cmpuint (sent->rtp_time, ==, 90000);
  g_assert_cmpuint (sent->bytes, ==, 1400);
  g_assert_cmpint (sent->sent_us, ==, 123456);
  g_assert_null (send_log_find (log, 43));
  g_free (log);
}

/* Sequence numbers SEND_LOG_SLOTS apart share a slot: the later one is
 * kept, and the earlier one is not mistaken for it. */
static void
test_slot_reused (void)
{
  SendLog *log = g_new0 (SendLog, 1);

  send_log_add (log, 7, 1, 100, 1);
  send_log_add (log, 7 + SEND_LOG_SLOTS, 2, 200, 2);
  g_assert_null (send_log_find (log, 7));
  g_assert_cmpuint (send_log_find (log, 7 + SEND_LOG_SLOTS)->bytes, ==, 200);
  g_free (log);
}

/* Across the 16-bit wrap, every one of the last SEND_LOG_SLOTS is kept. */
static void
test_wraps (void)
{
  SendLog *log = g_new0 (SendLog, 1);
  guint16 first = 65535 - SEND_LOG_SLOTS / 2;

  for (guint i = 0; i < SEND_LOG_SLOTS; i++)
    send_log_add (log, (guint16) (first + i), i, i, i);
  for (guint i = 0; i < SEND_LOG_SLOTS; i++) {
    const SentPacket *sent = send_log_find (log, (guint16) (first + i));

    g_assert_nonnull (sent);
    g_assert_cmpuint (sent->rtp_time, ==, i);
  }
  g_assert_null (send_log_find (log, (guint16) (first - 1)));
  g_free (log);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/send-log/found-by-sequence-number",
      test_found_by_sequence_number);
  g_test_add_func ("/send-log/slot-reused", test_slot_reused);
  g_test_add_func ("/send-log/wraps", test_wraps);
  return g_test_run ();
}
