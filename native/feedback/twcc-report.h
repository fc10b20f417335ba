/* One TWCC feedback packet as a `twcc` record: what it says of the packets
 * we sent, per frame (docs/protocol.md), not per packet. */
#ifndef RTSP_HELPER_TWCC_REPORT_H
#define RTSP_HELPER_TWCC_REPORT_H

#include "link/protocol.h"
#include "encoder/send-log.h"
#include "feedback/twcc-parse.h"

/* Adds the feedback's figures to the record; statuses as twcc_parse()
 * made them, matched against the send log. */
void twcc_report_add (Record * record, const TwccHeader * header,
    const GArray * statuses, const SendLog * log);

#endif /* RTSP_HELPER_TWCC_REPORT_H */
