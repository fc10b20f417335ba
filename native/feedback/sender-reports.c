#include "feedback/sender-reports.h"

void
sender_reports_add (SenderReports * reports, guint32 compact_ntp,
    gint64 sent_us)
{
  SentReport *slot = &reports->slots[reports->next];

  slot->compact_ntp = compact_ntp;
  slot->sent_us = sent_us;
  reports->next = (reports->next + 1) % SENDER_REPORT_SLOTS;
}

gboolean
sender_reports_find (const SenderReports * reports, guint32 lsr,
    gint64 * sent_us)
{
  /* 0 means "no sender report received yet" (RFC 3550 6.4.1). */
  if (lsr == 0)
    return FALSE;
  for (guint i = 0; i < SENDER_REPORT_SLOTS; i++) {
    const SentReport *slot = &reports->slots[i];

    if (slot->sent_us != 0 && slot->compact_ntp == lsr) {
      *sent_us = slot->sent_us;
      return TRUE;
    }
  }
  return FALSE;
}
