/* twcc_parse() on any FCI a viewer may send (RTPFB FMT 15, the bytes after
 * the two SSRCs), then, as feedback-in.c does, its statuses matched against
 * a send log into a `twcc` record. Beyond crashes, it checks what the parser
 * promises: `count` statuses of consecutive sequence numbers, no arrival
 * time for a packet not received, a bound on the count, a known reason for
 * a refusal. */
#include "fuzz/fuzz.h"

#include <string.h>

#include "encoder/send-log.h"
#include "feedback/twcc-parse.h"
#include "feedback/twcc-report.h"
#include "link/protocol.h"

static SendLog *send_log;

int
LLVMFuzzerInitialize (int *argc G_GNUC_UNUSED, char ***argv G_GNUC_UNUSED)
{
  send_log = g_new0 (SendLog, 1);
  /* The last SEND_LOG_SLOTS packets sent, five to a frame. */
  for (guint seq = 0; seq < SEND_LOG_SLOTS; seq++)
    send_log_add (send_log, (guint16) (seq + 1000), seq / 5 * 3000,
        1000 + seq % 300, seq * 100);
  return 0;
}

static void
check_statuses (const TwccHeader * header, const GArray * statuses)
{
  FUZZ_CHECK (header->count <= SEND_LOG_SLOTS);
  FUZZ_CHECK (statuses->len == header->count);
  for (guint i = 0; i < statuses->len; i++) {
    const TwccStatus *status = &g_array_index (statuses, TwccStatus, i);

    FUZZ_CHECK (status->seq == (guint16) (header->base_seq + i));
    FUZZ_CHECK (status->received || status->arrival_us == 0);
  }
}

static void
check_report (const TwccHeader * header, const GArray * statuses)
{
  Record *record = record_new ("twcc");
  gchar *json;

  twcc_report_add (record, header, statuses, send_log);
  json = record_free_to_json (record);
  FUZZ_CHECK (g_str_has_prefix (json, "{\"type\":\"twcc\","));
  FUZZ_CHECK (g_str_has_suffix (json, "]}"));
  g_free (json);
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  GArray *statuses = g_array_new (FALSE, FALSE, sizeof (TwccStatus));
  const gchar *problem = NULL;
  TwccHeader header;

  if (twcc_parse (data, size, SEND_LOG_SLOTS, &header, statuses, &problem)) {
    FUZZ_CHECK (problem == NULL);
    check_statuses (&header, statuses);
    check_report (&header, statuses);
  } else {
    FUZZ_CHECK (problem != NULL);
    FUZZ_CHECK (strcmp (problem, "twcc_truncated") == 0
        || strcmp (problem, "twcc_too_many_packets") == 0
        || strcmp (problem, "twcc_reserved_symbol") == 0);
  }
  g_array_unref (statuses);
  return 0;
}
