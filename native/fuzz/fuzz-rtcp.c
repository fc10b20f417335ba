/* A viewer's RTCP as the helper reads it (feedback-in.c): any datagram
 * that rtpsession's gst_rtcp_buffer_validate_reduced() lets through, each
 * of its packets walked with GstRTCPBuffer, report blocks read from SRs
 * and RRs (rtcp_read_report_blocks()), and TWCC feedback's FCI parsed
 * (rtcp_read_twcc(), twcc_parse()).
 *
 * GStreamer is not built with the sanitizers, so a read of its past the
 * datagram would go unseen: the datagram is copied to the very end of a
 * mapping followed by a page that may not be read, where such a read
 * faults. It also checks that what the helper reads lies within the
 * packet that holds it. */
#include "fuzz/fuzz.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "encoder/send-log.h"
#include "feedback/rtcp-read.h"
#include "feedback/twcc-parse.h"

/* RTCP over TCP interleaved may be as long as a 16-bit length says. */
#define MAX_DATAGRAM 65536

/* gst_init() replaces GLib's first quark block, which it leaves behind on
 * purpose: LeakSanitizer would take it for a leak of every run. What this
 * target exercises (rtcp-read.c, twcc-parse.c) allocates nothing of its
 * own; fuzz-twcc-parse checks the record for leaks. */
const char *__asan_default_options (void);
const char *
__asan_default_options (void)
{
  return "detect_leaks=0";
}

static guint8 *end_of_readable;

int
LLVMFuzzerInitialize (int *argc G_GNUC_UNUSED, char ***argv G_GNUC_UNUSED)
{
  gsize page = (gsize) sysconf (_SC_PAGESIZE);
  gsize readable = (MAX_DATAGRAM + page - 1) / page * page;
  guint8 *mapping = mmap (NULL, readable + page, PROT_READ | PROT_WRITE,
      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

  if (mapping == MAP_FAILED || mprotect (mapping + readable, page,
          PROT_NONE) != 0) {
    perror ("fuzz-rtcp: guard page");
    abort ();
  }
  end_of_readable = mapping + readable;
  gst_init (NULL, NULL);
  return 0;
}

/* The packet's bytes as GstRTCPPacket has them. */
static const guint8 *
packet_start (const GstRTCPPacket * packet)
{
  return packet->rtcp->map.data + packet->offset;
}

static gsize
packet_size (GstRTCPPacket * packet)
{
  return 4 + 4 * (gsize) gst_rtcp_packet_get_length (packet);
}

static void
read_reports (GstRTCPPacket * packet)
{
  RtcpReportBlock blocks[RTCP_MAX_REPORT_BLOCKS];
  gboolean sr = gst_rtcp_packet_get_type (packet) == GST_RTCP_TYPE_SR;
  guint32 reporter;
  guint count;

  if (!rtcp_read_report_blocks (packet, &reporter, blocks, &count))
    return;
  /* Every block read lies within the packet. */
  FUZZ_CHECK (count <= RTCP_MAX_REPORT_BLOCKS);
  FUZZ_CHECK ((sr ? 28 : 8) + 24 * (gsize) count <= packet_size (packet));
}

static void
read_twcc (GstRTCPPacket * packet)
{
  GArray *statuses;
  const guint8 *fci;
  const gchar *problem = NULL;
  TwccHeader header;
  guint32 reporter;
  gsize size;

  if (!rtcp_read_twcc (packet, &reporter, &fci, &size))
    return;
  FUZZ_CHECK (fci != NULL || size == 0);
  if (fci != NULL) {
    FUZZ_CHECK (fci >= packet_start (packet) + 12);
    FUZZ_CHECK (fci + size <= packet_start (packet) + packet_size (packet));
  }
  statuses = g_array_new (FALSE, FALSE, sizeof (TwccStatus));
  twcc_parse (fci, size, SEND_LOG_SLOTS, &header, statuses, &problem);
  g_array_unref (statuses);
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  GstRTCPBuffer rtcp = GST_RTCP_BUFFER_INIT;
  guint8 *datagram = end_of_readable - size;
  GstRTCPPacket packet;
  GstBuffer *buffer;
  gboolean more;

  if (size > MAX_DATAGRAM)
    return -1;
  memcpy (datagram, data, size);
  /* rtpsession drops what this refuses before the helper sees it. */
  if (size == 0 || !gst_rtcp_buffer_validate_data_reduced (datagram, size))
    return 0;

  buffer = gst_buffer_new_wrapped_full (GST_MEMORY_FLAG_READONLY, datagram,
      size, 0, size, NULL, NULL);
  FUZZ_CHECK (gst_rtcp_buffer_map (buffer, GST_MAP_READ, &rtcp));
  for (more = gst_rtcp_buffer_get_first_packet (&rtcp, &packet); more;
      more = gst_rtcp_packet_move_to_next (&packet)) {
    FUZZ_CHECK (packet_start (&packet) + packet_size (&packet)
        <= datagram + size);
    switch (gst_rtcp_packet_get_type (&packet)) {
      case GST_RTCP_TYPE_SR:
      case GST_RTCP_TYPE_RR:
        read_reports (&packet);
        break;
      case GST_RTCP_TYPE_RTPFB:
        read_twcc (&packet);
        break;
      default:
        break;
    }
  }
  gst_rtcp_buffer_unmap (&rtcp);
  gst_buffer_unref (buffer);
  return 0;
}
