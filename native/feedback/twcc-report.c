#include "feedback/twcc-report.h"

/* A frame's packets leave in one burst and share an RTP time: the group
 * whose last packet times the frame's trip, as GCC groups a burst. */
typedef struct
{
  GArray *sent_us, *arrival_us, *bytes;
  gboolean open;
  guint32 rtp_time;
} Groups;

static void
groups_add (Groups * groups, const SentPacket * sent, const TwccStatus * status)
{
  gint64 bytes = sent->bytes;

  if (groups->open && sent->rtp_time == groups->rtp_time) {
    guint last = groups->sent_us->len - 1;

    g_array_index (groups->sent_us, gint64, last) = sent->sent_us;
    g_array_index (groups->arrival_us, gint64, last) = status->arrival_us;
    g_array_index (groups->bytes, gint64, last) += bytes;
    return;
  }
  g_array_append_val (groups->sent_us, sent->sent_us);
  g_array_append_val (groups->arrival_us, status->arrival_us);
  g_array_append_val (groups->bytes, bytes);
  groups->open = TRUE;
  groups->rtp_time = sent->rtp_time;
}

void
twcc_report_add (Record * record, const TwccHeader * header,
    const GArray * statuses, const SendLog * log)
{
  Groups groups = {
    .sent_us = g_array_new (FALSE, FALSE, sizeof (gint64)),
    .arrival_us = g_array_new (FALSE, FALSE, sizeof (gint64)),
    .bytes = g_array_new (FALSE, FALSE, sizeof (gint64)),
  };
  guint lost = 0, unknown = 0;
  guint64 sent_bytes = 0, received_bytes = 0;

  for (guint i = 0; i < statuses->len; i++) {
    const TwccStatus *status = &g_array_index (statuses, TwccStatus, i);
    const SentPacket *sent = send_log_find (log, status->seq);

    if (sent == NULL) {
      unknown++;
      continue;
    }
    sent_bytes += sent->bytes;
    if (!status->received) {
      lost++;
      continue;
    }
    received_bytes += sent->bytes;
    groups_add (&groups, sent, status);
  }

  record_add_int (record, "feedback_count", header->feedback_count);
  record_add_int (record, "packets", statuses->len);
  record_add_int (record, "lost", lost);
  record_add_int (record, "unknown", unknown);
  record_add_int (record, "sent_bytes", sent_bytes);
  record_add_int (record, "received_bytes", received_bytes);
  record_add_int_array (record, "send_us", (gint64 *) groups.sent_us->data,
      groups.sent_us->len);
  record_add_int_array (record, "arrival_us",
      (gint64 *) groups.arrival_us->data, groups.arrival_us->len);
  record_add_int_array (record, "group_bytes", (gint64 *) groups.bytes->data,
      groups.bytes->len);
  g_array_unref (groups.sent_us);
  g_array_unref (groups.arrival_us);
  g_array_unref (groups.bytes);
}
