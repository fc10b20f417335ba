/* The FCI of a transport-wide congestion control feedback packet
 * (RTPFB, FMT 15; draft-holmer-rmcat-transport-wide-cc-extensions-01
 * section 3.1), parsed into one status per packet. */
#ifndef RTSP_HELPER_TWCC_PARSE_H
#define RTSP_HELPER_TWCC_PARSE_H

#include <glib.h>

typedef struct
{
  guint16 seq;
  gboolean received;
  /* The viewer's clock, µs: only differences mean anything. */
  gint64 arrival_us;
} TwccStatus;

typedef struct
{
  guint16 base_seq;
  guint16 count;                /* packets it reports on */
  guint8 feedback_count;        /* counts feedback packets, wrapping */
} TwccHeader;

/* Fills statuses (an array of TwccStatus) with `count` entries, in sequence
 * order. FALSE, with the reason, when the FCI is malformed (cut short, a
 * reserved status symbol) or reports on more than max_count packets. */
gboolean twcc_parse (const guint8 * fci, gsize size, guint max_count,
    TwccHeader * header, GArray * statuses, const gchar ** problem);

#endif /* RTSP_HELPER_TWCC_PARSE_H */
