/* What the helper reads of each packet of a viewer's RTCP, once rtpsession
 * has validated the compound packet (gst_rtcp_buffer_validate_reduced()):
 * the report blocks of a sender or receiver report, and the FCI of TWCC
 * feedback. Apart from the pipeline, so that it is unit-tested and fuzzed
 * on its own. */
#ifndef RTSP_HELPER_RTCP_READ_H
#define RTSP_HELPER_RTCP_READ_H

#include <gst/rtp/rtp.h>

/* A report's block count is 5 bits. */
#define RTCP_MAX_REPORT_BLOCKS 31

typedef struct
{
  guint32 media_ssrc;
  guint8 fraction;
  gint32 lost;
  guint32 highest_seq;
  guint32 jitter;
  guint32 lsr;
  guint32 dlsr;
} RtcpReportBlock;

/* The reporter's SSRC and the report blocks of an SR or RR packet into
 * `blocks` (room for RTCP_MAX_REPORT_BLOCKS). FALSE when the packet is too
 * short for the blocks its header counts: then none are read, and
 * `reporter` is 0 if even it is missing. */
gboolean rtcp_read_report_blocks (GstRTCPPacket * packet, guint32 * reporter,
    RtcpReportBlock * blocks, guint * count);

/* For TWCC feedback (RTPFB, FMT 15): its sender's SSRC and its FCI (NULL
 * and 0 when it has none). FALSE for any other packet. */
gboolean rtcp_read_twcc (GstRTCPPacket * packet, guint32 * reporter,
    const guint8 ** fci, gsize * size);

#endif /* RTSP_HELPER_RTCP_READ_H */
