#include "feedback/rtcp-read.h"

/* Words of an RR before its report blocks, of an SR, and of a block. */
#define RR_HEADER_WORDS 1
#define SR_HEADER_WORDS 6
#define REPORT_BLOCK_WORDS 6
/* Words of a feedback packet before its FCI: sender and media SSRC. */
#define FB_HEADER_WORDS 2

gboolean
rtcp_read_report_blocks (GstRTCPPacket * packet, guint32 * reporter,
    RtcpReportBlock * blocks, guint * count)
{
  gboolean sr = gst_rtcp_packet_get_type (packet) == GST_RTCP_TYPE_SR;
  guint header_words = sr ? SR_HEADER_WORDS : RR_HEADER_WORDS;
  guint length = gst_rtcp_packet_get_length (packet);

  *count = gst_rtcp_packet_get_rb_count (packet);
  *reporter = 0;
  /* GStreamer's getters read past a packet shorter than its type's header
   * (1.22 before Debian's security update accepted one). */
  if (length < header_words)
    return FALSE;
  if (sr)
    gst_rtcp_packet_sr_get_sender_info (packet, reporter, NULL, NULL, NULL,
        NULL);
  else
    *reporter = gst_rtcp_packet_rr_get_ssrc (packet);
  /* gst_rtcp_packet_get_rb() says nothing of blocks past the end. */
  if (length < header_words + *count * REPORT_BLOCK_WORDS)
    return FALSE;
  for (guint i = 0; i < *count; i++) {
    RtcpReportBlock *block = &blocks[i];

    gst_rtcp_packet_get_rb (packet, i, &block->media_ssrc, &block->fraction,
        &block->lost, &block->highest_seq, &block->jitter, &block->lsr,
        &block->dlsr);
  }
  return TRUE;
}

gboolean
rtcp_read_twcc (GstRTCPPacket * packet, guint32 * reporter,
    const guint8 ** fci, gsize * size)
{
  guint length = gst_rtcp_packet_get_length (packet);

  if (gst_rtcp_packet_get_type (packet) != GST_RTCP_TYPE_RTPFB
      || gst_rtcp_packet_fb_get_type (packet) != GST_RTCP_RTPFB_TYPE_TWCC)
    return FALSE;
  /* gst_rtcp_packet_fb_get_fci_length() wraps to 65534 words for a packet
   * shorter than its feedback header (which 1.22 before Debian's security
   * update accepted): the size comes from the packet's own length. */
  *reporter = length >= 1 ? gst_rtcp_packet_fb_get_sender_ssrc (packet) : 0;
  *fci = gst_rtcp_packet_fb_get_fci (packet);
  *size = *fci != NULL && length > FB_HEADER_WORDS ?
      (gsize) (length - FB_HEADER_WORDS) * 4 : 0;
  return TRUE;
}
