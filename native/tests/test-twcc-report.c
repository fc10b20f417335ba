/* twcc_report_add(): TWCC statuses matched against the send log, as the
 * figures of a `twcc` record. */
#include "feedback/twcc-report.h"
#include "feedback/twcc-parse.h"
#include "encoder/send-log.h"
#include "link/protocol.h"

typedef struct
{
  SendLog *log;
  GArray *statuses;
  TwccHeader header;
} Fixture;

static void
fixture_set_up (Fixture * fixture, gconstpointer data G_GNUC_UNUSED)
{
  fixture->log = g_new0 (SendLog, 1);
  fixture->statuses = g_array_new (FALSE, FALSE, sizeof (TwccStatus));
  fixture->header = (TwccHeader) {
  .base_seq = 0,.count = 0,.feedback_count = 7};
}

static void
fixture_tear_down (Fixture * fixture, gconstpointer data G_GNUC_UNUSED)
{
  g_array_unref (fixture->statuses);
  g_free (fixture->log);
}

static void
add_status (Fixture * fixture, guint16 seq, gboolean received,
    gint64 arrival_us)
{
  TwccStatus status = {.seq = seq,.received = received,
    .arrival_us = received ? arrival_us : 0
  };

  g_array_append_val (fixture->statuses, status);
  fixture->header.count = fixture->statuses->len;
}

static gchar *
report (Fixture * fixture)
{
  Record *record = record_new ("twcc");

  twcc_report_add (record, &fixture->header, fixture->statuses, fixture->log);
  return record_free_to_json (record);
}

static void
assert_report (Fixture * fixture, const gchar * expected)
{
  gchar *json = report (fixture);

  g_assert_cmpstr (json, ==, expected);
  g_free (json);
}

/* Packets of one frame share an RTP time: one group, timed by its last
 * packet, with the bytes of those received. A lost packet is counted and
 * leaves the group open; one the log does not hold is unknown. */
static void
test_frames_grouped (Fixture * fixture, gconstpointer data G_GNUC_UNUSED)
{
  send_log_add (fixture->log, 10, 1000, 1200, 100);
  send_log_add (fixture->log, 11, 1000, 800, 110);
  send_log_add (fixture->log, 12, 4000, 500, 200);
  send_log_add (fixture->log, 13, 4000, 300, 210);
  send_log_add (fixture->log, 14, 4000, 400, 220);
  add_status (fixture, 10, TRUE, 5000);
  add_status (fixture, 11, TRUE, 5100);
  add_status (fixture, 12, TRUE, 5300);
  add_status (fixture, 13, FALSE, 0);
  add_status (fixture, 14, TRUE, 5400);
  add_status (fixture, 15, TRUE, 5500);
  assert_report (fixture, "{\"type\":\"twcc\",\"feedback_count\":7,"
      "\"packets\":6,\"lost\":1,\"unknown\":1,\"sent_bytes\":3200,"
      "\"received_bytes\":2900,\"send_us\":[110,220],"
      "\"arrival_us\":[5100,5400],\"group_bytes\":[2000,900]}");
}

/* A frame's packets reported apart (another frame between them) make two
 * groups. */
static void
test_interleaved_frames (Fixture * fixture, gconstpointer data G_GNUC_UNUSED)
{
  send_log_add (fixture->log, 1, 1000, 100, 10);
  send_log_add (fixture->log, 2, 2000, 200, 20);
  send_log_add (fixture->log, 3, 1000, 300, 30);
  add_status (fixture, 1, TRUE, 110);
  add_status (fixture, 2, TRUE, 120);
  add_status (fixture, 3, TRUE, 130);
  assert_report (fixture, "{\"type\":\"twcc\",\"feedback_count\":7,"
      "\"packets\":3,\"lost\":0,\"unknown\":0,\"sent_bytes\":600,"
      "\"received_bytes\":600,\"send_us\":[10,20,30],"
      "\"arrival_us\":[110,120,130],\"group_bytes\":[100,200,300]}");
}

static void
test_nothing_known (Fixture * fixture, gconstpointer data G_GNUC_UNUSED)
{
  assert_report (fixture, "{\"type\":\"twcc\",\"feedback_count\":7,"
      "\"packets\":0,\"lost\":0,\"unknown\":0,\"sent_bytes\":0,"
      "\"received_bytes\":0,\"send_us\":[],\"arrival_us\":[],"
      "\"group_bytes\":[]}");
  add_status (fixture, 5, TRUE, 1);
  add_status (fixture, 6, FALSE, 0);
  assert_report (fixture, "{\"type\":\"twcc\",\"feedback_count\":7,"
      "\"packets\":2,\"lost\":0,\"unknown\":2,\"sent_bytes\":0,"
      "\"received_bytes\":0,\"send_us\":[],\"arrival_us\":[],"
      "\"group_bytes\":[]}");
}

/* A slot reused SEND_LOG_SLOTS packets later no longer answers for the
 * older sequence number. */
static void
test_overwritten_slot (Fixture * fixture, gconstpointer data G_GNUC_UNUSED)
{
  send_log_add (fixture->log, 100, 1, 10, 1);
  send_log_add (fixture->log, 100 + SEND_LOG_SLOTS, 2, 20, 2);
  add_status (fixture, 100, TRUE, 50);
  add_status (fixture, 100 + SEND_LOG_SLOTS, TRUE, 60);
  assert_report (fixture, "{\"type\":\"twcc\",\"feedback_count\":7,"
      "\"packets\":2,\"lost\":0,\"unknown\":1,\"sent_bytes\":20,"
      "\"received_bytes\":20,\"send_us\":[2],\"arrival_us\":[60],"
      "\"group_bytes\":[20]}");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/twcc-report/frames-grouped", Fixture, NULL, fixture_set_up,
      test_frames_grouped, fixture_tear_down);
  g_test_add ("/twcc-report/interleaved-frames", Fixture, NULL,
      fixture_set_up, test_interleaved_frames, fixture_tear_down);
  g_test_add ("/twcc-report/nothing-known", Fixture, NULL, fixture_set_up,
      test_nothing_known, fixture_tear_down);
  g_test_add ("/twcc-report/overwritten-slot", Fixture, NULL, fixture_set_up,
      test_overwritten_slot, fixture_tear_down);
  return g_test_run ();
}
