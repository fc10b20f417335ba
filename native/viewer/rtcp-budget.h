/* How much RTCP one viewer may send: a bucket of RTCP_BUDGET_BURST packets
 * refilled at RTCP_BUDGET_RATE a second. rtspsrc on an adaptive mount sends
 * a receiver report every 100 ms and TWCC feedback every frame: about 70
 * packets a second at 60 fps. Not locked: its viewer's lock guards it. */
#ifndef RTSP_HELPER_RTCP_BUDGET_H
#define RTSP_HELPER_RTCP_BUDGET_H

#include <glib.h>

#define RTCP_BUDGET_RATE 200
#define RTCP_BUDGET_BURST 200

typedef struct
{
  gdouble tokens;
  gint64 refilled_us;           /* 0: never charged, the bucket is full */
} RtcpBudget;

/* TRUE when the packet may go on; FALSE past the rate. */
gboolean rtcp_budget_take (RtcpBudget * budget, gint64 now_us);

#endif /* RTSP_HELPER_RTCP_BUDGET_H */
