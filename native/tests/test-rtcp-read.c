/* What the helper reads of a viewer's RTCP packets: report blocks and TWCC
 * FCI, from compound packets built with GStreamer's writer or by hand (the
 * malformed ones, which its writer cannot make). */
#include "feedback/rtcp-read.h"

#include <string.h>

/* A compound packet from raw bytes, validated as rtpsession validates it
 * before the helper reads it. */
static GstBuffer *
packet_of_bytes (const guint8 * data, gsize size)
{
  GstBuffer *buffer = gst_buffer_new_memdup (data, size);

  g_assert_true (gst_rtcp_buffer_validate_reduced (buffer));
  return buffer;
}

/* Maps `buffer` and points `packet` at its index-th packet. */
static void
packet_at (GstBuffer * buffer, GstRTCPBuffer * rtcp, guint index,
    GstRTCPPacket * packet)
{
  g_assert_true (gst_rtcp_buffer_map (buffer, GST_MAP_READ, rtcp));
  g_assert_true (gst_rtcp_buffer_get_first_packet (rtcp, packet));
  for (guint i = 0; i < index; i++)
    g_assert_true (gst_rtcp_packet_move_to_next (packet));
}

static void
add_block (GstRTCPPacket * packet, guint i)
{
  g_assert_true (gst_rtcp_packet_add_rb (packet, 0x1000 + i, 10 + i,
          -5 - (gint) i, 70000 + i, 900 + i, 0xabcd0000 + i, 65536 + i));
}

static void
assert_block (const RtcpReportBlock * block, guint i)
{
  g_assert_cmpuint (block->media_ssrc, ==, 0x1000 + i);
  g_assert_cmpuint (block->fraction, ==, 10 + i);
  g_assert_cmpint (block->lost, ==, -5 - (gint) i);
  g_assert_cmpuint (block->highest_seq, ==, 70000 + i);
  g_assert_cmpuint (block->jitter, ==, 900 + i);
  g_assert_cmpuint (block->lsr, ==, 0xabcd0000 + i);
  g_assert_cmpuint (block->dlsr, ==, 65536 + i);
}

/* An RR with `blocks` report blocks, then an SR with one. */
static GstBuffer *
compound_of_reports (guint blocks)
{
  GstBuffer *buffer = gst_rtcp_buffer_new (1500);
  GstRTCPBuffer rtcp = GST_RTCP_BUFFER_INIT;
  GstRTCPPacket packet;

  g_assert_true (gst_rtcp_buffer_map (buffer, GST_MAP_READWRITE, &rtcp));
  g_assert_true (gst_rtcp_buffer_add_packet (&rtcp, GST_RTCP_TYPE_RR, &packet));
  gst_rtcp_packet_rr_set_ssrc (&packet, 0xfeedf00d);
  for (guint i = 0; i < blocks; i++)
    add_block (&packet, i);
  g_assert_true (gst_rtcp_buffer_add_packet (&rtcp, GST_RTCP_TYPE_SR, &packet));
  gst_rtcp_packet_sr_set_sender_info (&packet, 0xcafe, 1, 2, 3, 4);
  add_block (&packet, 7);
  gst_rtcp_buffer_unmap (&rtcp);
  g_assert_true (gst_rtcp_buffer_validate (buffer));
  return buffer;
}

static void
test_receiver_and_sender_reports (void)
{
  GstBuffer *buffer = compound_of_reports (2);
  GstRTCPBuffer rtcp = GST_RTCP_BUFFER_INIT;
  RtcpReportBlock blocks[RTCP_MAX_REPORT_BLOCKS];
  GstRTCPPacket packet;
  guint32 reporter;
  guint count;

  packet_at (buffer, &rtcp, 0, &packet);
  g_assert_true (rtcp_read_report_blocks (&packet, &reporter, blocks, &count));
  g_assert_cmpuint (reporter, ==, 0xfeedf00d);
  g_assert_cmpuint (count, ==, 2);
  assert_block (&blocks[0], 0);
  assert_block (&blocks[1], 1);

  g_assert_true (gst_rtcp_packet_move_to_next (&packet));
  g_assert_true (rtcp_read_report_blocks (&packet, &reporter, blocks, &count));
  g_assert_cmpuint (reporter, ==, 0xcafe);
  g_assert_cmpuint (count, ==, 1);
  assert_block (&blocks[0], 7);
  gst_rtcp_buffer_unmap (&rtcp);
  gst_buffer_unref (buffer);
}

/* 31 blocks, the most a report counts. */
static void
test_most_blocks (void)
{
  GstBuffer *buffer = compound_of_reports (RTCP_MAX_REPORT_BLOCKS);
  GstRTCPBuffer rtcp = GST_RTCP_BUFFER_INIT;
  RtcpReportBlock blocks[RTCP_MAX_REPORT_BLOCKS];
  GstRTCPPacket packet;
  guint32 reporter;
  guint count;

  packet_at (buffer, &rtcp, 0, &packet);
  g_assert_true (rtcp_read_report_blocks (&packet, &reporter, blocks, &count));
  g_assert_cmpuint (count, ==, RTCP_MAX_REPORT_BLOCKS);
  for (guint i = 0; i < RTCP_MAX_REPORT_BLOCKS; i++)
    assert_block (&blocks[i], i);
  gst_rtcp_buffer_unmap (&rtcp);
  gst_buffer_unref (buffer);
}

/* An RR counting two blocks with room for one, then an RR whose length
 * holds one: the first is dropped (its reporter named), the second read. */
static void
test_truncated_report (void)
{
  guint8 data[4 + 4 + 24 + 4 + 4 + 24] = {
    0x82, 201, 0, 7, 0x11, 0x22, 0x33, 0x44,
  };
  guint8 *second = data + 4 + 4 + 24;
  GstRTCPBuffer rtcp = GST_RTCP_BUFFER_INIT;
  RtcpReportBlock blocks[RTCP_MAX_REPORT_BLOCKS];
  GstRTCPPacket packet;
  GstBuffer *buffer;
  guint32 reporter;
  guint count;

  memcpy (second, (guint8[]) {
      0x81, 201, 0, 7, 0x55, 0x66, 0x77, 0x88, 0, 0, 0, 9}, 12);
  buffer = packet_of_bytes (data, sizeof (data));
  packet_at (buffer, &rtcp, 0, &packet);
  g_assert_false (rtcp_read_report_blocks (&packet, &reporter, blocks, &count));
  g_assert_cmpuint (reporter, ==, 0x11223344);
  g_assert_true (gst_rtcp_packet_move_to_next (&packet));
  g_assert_true (rtcp_read_report_blocks (&packet, &reporter, blocks, &count));
  g_assert_cmpuint (reporter, ==, 0x55667788);
  g_assert_cmpuint (count, ==, 1);
  g_assert_cmpuint (blocks[0].media_ssrc, ==, 9);
  gst_rtcp_buffer_unmap (&rtcp);
  gst_buffer_unref (buffer);
}

/* An SR whose length holds its sender info but not its one block. */
static void
test_truncated_sender_report (void)
{
  guint8 data[4 + 24] = { 0x81, 200, 0, 6, 0, 0, 0xbe, 0xef };
  GstRTCPBuffer rtcp = GST_RTCP_BUFFER_INIT;
  RtcpReportBlock blocks[RTCP_MAX_REPORT_BLOCKS];
  GstRTCPPacket packet;
  GstBuffer *buffer = packet_of_bytes (data, sizeof (data));
  guint32 reporter;
  guint count;

  packet_at (buffer, &rtcp, 0, &packet);
  g_assert_false (rtcp_read_report_blocks (&packet, &reporter, blocks, &count));
  g_assert_cmpuint (reporter, ==, 0xbeef);
  gst_rtcp_buffer_unmap (&rtcp);
  gst_buffer_unref (buffer);
}

/* TWCC feedback: its FCI, of the length its header says; a NACK is not
 * TWCC, nor is a report. */
static void
test_twcc (void)
{
  GstBuffer *buffer = gst_rtcp_buffer_new (1500);
  GstRTCPBuffer rtcp = GST_RTCP_BUFFER_INIT;
  GstRTCPPacket packet;
  const guint8 fci_bytes[12] = { 0, 5, 0, 2, 0, 0, 1, 9, 0x20, 2, 4, 8 };
  const guint8 *fci;
  guint32 reporter;
  gsize size;

  g_assert_true (gst_rtcp_buffer_map (buffer, GST_MAP_READWRITE, &rtcp));
  g_assert_true (gst_rtcp_buffer_add_packet (&rtcp, GST_RTCP_TYPE_RR, &packet));
  g_assert_true (gst_rtcp_buffer_add_packet (&rtcp, GST_RTCP_TYPE_RTPFB,
          &packet));
  gst_rtcp_packet_fb_set_type (&packet, GST_RTCP_RTPFB_TYPE_TWCC);
  gst_rtcp_packet_fb_set_sender_ssrc (&packet, 0x12345678);
  gst_rtcp_packet_fb_set_media_ssrc (&packet, 0);
  g_assert_true (gst_rtcp_packet_fb_set_fci_length (&packet,
          sizeof (fci_bytes) / 4));
  memcpy (gst_rtcp_packet_fb_get_fci (&packet), fci_bytes, sizeof (fci_bytes));
  g_assert_true (gst_rtcp_buffer_add_packet (&rtcp, GST_RTCP_TYPE_RTPFB,
          &packet));
  gst_rtcp_packet_fb_set_type (&packet, GST_RTCP_RTPFB_TYPE_NACK);
  g_assert_true (gst_rtcp_buffer_add_packet (&rtcp, GST_RTCP_TYPE_RTPFB,
          &packet));
  gst_rtcp_packet_fb_set_type (&packet, GST_RTCP_RTPFB_TYPE_TWCC);
  gst_rtcp_packet_fb_set_sender_ssrc (&packet, 0x9);
  gst_rtcp_buffer_unmap (&rtcp);
  g_assert_true (gst_rtcp_buffer_validate (buffer));

  packet_at (buffer, &rtcp, 0, &packet);
  g_assert_false (rtcp_read_twcc (&packet, &reporter, &fci, &size));
  g_assert_true (gst_rtcp_packet_move_to_next (&packet));
  g_assert_true (rtcp_read_twcc (&packet, &reporter, &fci, &size));
  g_assert_cmpuint (reporter, ==, 0x12345678);
  g_assert_cmpuint (size, ==, sizeof (fci_bytes));
  g_assert_cmpmem (fci, size, fci_bytes, sizeof (fci_bytes));
  g_assert_true (gst_rtcp_packet_move_to_next (&packet));
  g_assert_false (rtcp_read_twcc (&packet, &reporter, &fci, &size));
  /* No FCI at all. */
  g_assert_true (gst_rtcp_packet_move_to_next (&packet));
  g_assert_true (rtcp_read_twcc (&packet, &reporter, &fci, &size));
  g_assert_cmpuint (reporter, ==, 0x9);
  g_assert_null (fci);
  g_assert_cmpuint (size, ==, 0);
  gst_rtcp_buffer_unmap (&rtcp);
  gst_buffer_unref (buffer);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gst_init (NULL, NULL);
  g_test_add_func ("/rtcp-read/receiver-and-sender-reports",
      test_receiver_and_sender_reports);
  g_test_add_func ("/rtcp-read/most-blocks", test_most_blocks);
  g_test_add_func ("/rtcp-read/truncated-report", test_truncated_report);
  g_test_add_func ("/rtcp-read/truncated-sender-report",
      test_truncated_sender_report);
  g_test_add_func ("/rtcp-read/twcc", test_twcc);
  return g_test_run ();
}
