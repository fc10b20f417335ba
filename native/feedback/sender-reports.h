/* The sender reports a media sent lately, by their compact NTP time: a
 * receiver report's LSR names one of them, or is not ours. Not locked: the
 * caller serialises access. */
#ifndef RTSP_HELPER_SENDER_REPORTS_H
#define RTSP_HELPER_SENDER_REPORTS_H

#include <glib.h>

/* 6 s of reports at the adaptive cadence (100 ms), minutes at RFC 3550's
 * 5 s: a viewer echoes the last one it received. */
#define SENDER_REPORT_SLOTS 64

typedef struct
{
  guint32 compact_ntp;          /* the middle 32 bits of its NTP time */
  gint64 sent_us;
} SentReport;

typedef struct
{
  SentReport slots[SENDER_REPORT_SLOTS];
  guint next;
} SenderReports;

void sender_reports_add (SenderReports * reports, guint32 compact_ntp,
    gint64 sent_us);
/* When the report with this compact NTP time was sent; FALSE when none
 * of those kept has it. */
gboolean sender_reports_find (const SenderReports * reports, guint32 lsr,
    gint64 * sent_us);

#endif /* RTSP_HELPER_SENDER_REPORTS_H */
