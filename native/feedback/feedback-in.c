#include "feedback/feedback-in.h"

#include <gst/net/net.h>
#include <gst/rtp/rtp.h>

#include "feedback/rtcp-read.h"
#include "feedback/sender-reports.h"
#include "feedback/twcc-parse.h"
#include "feedback/twcc-report.h"

/* rtspsrc echoes the last sender report it got: one every 100 ms keeps the
 * queueing delay in each RTT at most that old (RFC 3550's 5 s otherwise). */
#define SENDER_REPORT_INTERVAL_MS 100
/* H.264 over RTP always has a 90 kHz clock (RFC 6184). */
#define RTP_CLOCK_RATE 90000

struct _FeedbackIn
{
  gint ref_count;
  Protocol *protocol;
  Viewers *viewers;
  Viewer *owner;                /* NULL: found by address */
  Measure *measure;
  GObject *session;
  gulong receiving_id, sending_id;

  GMutex lock;                  /* RTCP threads send and receive */
  SenderReports reports;
};

/* Who sent an RTCP packet, when it arrived. */
typedef struct
{
  gint64 arrival_us;
  gchar *address;               /* NULL when unknown */
  gboolean known;
  ViewerPlay viewer;
} Origin;

static FeedbackIn *
feedback_ref (FeedbackIn * feedback)
{
  g_atomic_int_inc (&feedback->ref_count);
  return feedback;
}

static void
feedback_unref (gpointer data, GClosure * closure G_GNUC_UNUSED)
{
  FeedbackIn *feedback = data;

  if (!g_atomic_int_dec_and_test (&feedback->ref_count))
    return;
  measure_unref (feedback->measure);
  g_clear_object (&feedback->owner);
  g_object_unref (feedback->session);
  g_mutex_clear (&feedback->lock);
  g_free (feedback);
}

static Record *
record_from (FeedbackIn * feedback, const gchar * type, const Origin * origin,
    guint32 ssrc)
{
  Record *record = record_new (type);

  record_add_int (record, "t_us", origin->arrival_us);
  record_add_int (record, "encoder", measure_encoder (feedback->measure));
  record_add_string (record, "mount", measure_mount (feedback->measure));
  record_add_int (record, "ssrc", ssrc);
  if (origin->known) {
    record_add_int (record, "client_id", origin->viewer.client_id);
    record_add_string (record, "transport", origin->viewer.transport);
  }
  if (origin->address != NULL)
    record_add_string (record, "address", origin->address);
  return record;
}

static void
emit_dropped (FeedbackIn * feedback, const Origin * origin, guint32 ssrc,
    const gchar * reason)
{
  Record *record = record_from (feedback, "feedback_dropped", origin, ssrc);

  record_add_string (record, "reason", reason);
  record_emit (feedback->protocol, record);
}

/* What the report block can be checked against: the stream's SSRC, the
 * packets sent to this viewer, the sender report its LSR names. */
static void
add_context (FeedbackIn * feedback, Record * record, const Origin * origin,
    guint32 lsr)
{
  StreamPosition position;
  gint64 sent_us;
  gboolean found;

  measure_position (feedback->measure, &position);
  if (position.started)
    record_add_int (record, "sender_ssrc", position.ssrc);
  if (position.started && origin->known && origin->viewer.positioned) {
    const ViewerPlay *viewer = &origin->viewer;

    record_add_int (record, "first_seq", viewer->play_packets == 0 ?
        position.first_seq : viewer->play_seq);
    record_add_int (record, "sent_packets",
        position.packets - viewer->play_packets);
  }
  g_mutex_lock (&feedback->lock);
  found = sender_reports_find (&feedback->reports, lsr, &sent_us);
  g_mutex_unlock (&feedback->lock);
  if (found)
    record_add_int (record, "sr_age_us", origin->arrival_us - sent_us);
}

/* A WebRTC peer also reports on the stream webrtcbin's RTX sender sends
 * (another SSRC): those packets are not the stream's, and its figures do
 * not count them. An RTSP viewer's block about another SSRC is its own
 * mistake, and the supervisor counts it. */
static gboolean
is_retransmission (FeedbackIn * feedback, guint32 media_ssrc)
{
  StreamPosition position;

  if (feedback->owner == NULL)
    return FALSE;
  measure_position (feedback->measure, &position);
  return position.started && media_ssrc != position.ssrc;
}

static void
emit_report_blocks (FeedbackIn * feedback, GstRTCPPacket * packet,
    const Origin * origin)
{
  RtcpReportBlock blocks[RTCP_MAX_REPORT_BLOCKS];
  guint32 reporter;
  guint count;

  if (!rtcp_read_report_blocks (packet, &reporter, blocks, &count)) {
    emit_dropped (feedback, origin, reporter, "report_truncated");
    return;
  }
  for (guint i = 0; i < count; i++) {
    const RtcpReportBlock *block = &blocks[i];
    Record *record;

    if (is_retransmission (feedback, block->media_ssrc))
      continue;
    record = record_from (feedback, "rtcp", origin, reporter);

    record_add_int (record, "media_ssrc", block->media_ssrc);
    record_add_double (record, "fraction_lost", block->fraction / 256.0);
    record_add_int (record, "packets_lost", block->lost);
    record_add_int (record, "highest_seq", block->highest_seq);
    record_add_int (record, "jitter_us",
        gst_util_uint64_scale_round (block->jitter, G_USEC_PER_SEC,
            RTP_CLOCK_RATE));
    record_add_int (record, "lsr", block->lsr);
    record_add_int (record, "dlsr_us",
        gst_util_uint64_scale_round (block->dlsr, G_USEC_PER_SEC, 65536));
    add_context (feedback, record, origin, block->lsr);
    record_emit (feedback->protocol, record);
  }
}

static void
emit_twcc (FeedbackIn * feedback, GstRTCPPacket * packet, const Origin * origin)
{
  GArray *statuses;
  const gchar *problem = NULL;
  StreamPosition position;
  const SendLog *log;
  const guint8 *fci;
  TwccHeader header;
  guint32 reporter;
  Record *record;
  gsize size;

  if (!rtcp_read_twcc (packet, &reporter, &fci, &size))
    return;
  statuses = g_array_new (FALSE, FALSE, sizeof (TwccStatus));
  if (!twcc_parse (fci, size, SEND_LOG_SLOTS, &header, statuses, &problem)) {
    emit_dropped (feedback, origin, reporter, problem);
    g_array_unref (statuses);
    return;
  }
  record = record_from (feedback, "twcc", origin, reporter);
  log = measure_lock_send_log (feedback->measure, &position);
  twcc_report_add (record, &header, statuses, log);
  measure_unlock_send_log (feedback->measure);
  record_emit (feedback->protocol, record);
  g_array_unref (statuses);
}

/* An RTCP thread (UDP), or a viewer's client thread (TCP interleaved). */
static void
on_receiving_rtcp (GObject * session G_GNUC_UNUSED, GstBuffer * buffer,
    gpointer user_data)
{
  FeedbackIn *feedback = user_data;
  GstNetAddressMeta *meta = gst_buffer_get_net_address_meta (buffer);
  GstRTCPBuffer rtcp = GST_RTCP_BUFFER_INIT;
  Origin origin = {.arrival_us = g_get_monotonic_time () };
  GstRTCPPacket packet;
  gboolean more;

  if (feedback->owner != NULL) {
    origin.known = viewer_play (feedback->owner, &origin.viewer);
  } else if (meta != NULL && G_IS_INET_SOCKET_ADDRESS (meta->addr)) {
    GInetSocketAddress *from = G_INET_SOCKET_ADDRESS (meta->addr);

    origin.address =
        g_inet_address_to_string (g_inet_socket_address_get_address (from));
    Viewer *sender = viewers_find_rtcp_sender (feedback->viewers,
        origin.address, g_inet_socket_address_get_port (from));

    origin.known = sender != NULL && viewer_play (sender, &origin.viewer);
    g_clear_object (&sender);
  }
  if (!gst_rtcp_buffer_map (buffer, GST_MAP_READ, &rtcp))
    goto done;
  for (more = gst_rtcp_buffer_get_first_packet (&rtcp, &packet); more;
      more = gst_rtcp_packet_move_to_next (&packet)) {
    switch (gst_rtcp_packet_get_type (&packet)) {
      case GST_RTCP_TYPE_SR:
      case GST_RTCP_TYPE_RR:
        emit_report_blocks (feedback, &packet, &origin);
        break;
      case GST_RTCP_TYPE_RTPFB:
        emit_twcc (feedback, &packet, &origin);
        break;
      default:
        break;
    }
  }
  gst_rtcp_buffer_unmap (&rtcp);
done:
  g_free (origin.address);
}

/* An RTCP thread: notes the NTP time of each sender report we send. */
static gboolean
on_sending_rtcp (GObject * session G_GNUC_UNUSED, GstBuffer * buffer,
    gboolean early G_GNUC_UNUSED, gpointer user_data)
{
  FeedbackIn *feedback = user_data;
  GstRTCPBuffer rtcp = GST_RTCP_BUFFER_INIT;
  GstRTCPPacket packet;
  guint64 ntp_time;

  if (!gst_rtcp_buffer_map (buffer, GST_MAP_READ, &rtcp))
    return FALSE;
  if (gst_rtcp_buffer_get_first_packet (&rtcp, &packet)
      && gst_rtcp_packet_get_type (&packet) == GST_RTCP_TYPE_SR) {
    gst_rtcp_packet_sr_get_sender_info (&packet, NULL, &ntp_time, NULL, NULL,
        NULL);
    g_mutex_lock (&feedback->lock);
    sender_reports_add (&feedback->reports, (guint32) (ntp_time >> 16),
        g_get_monotonic_time ());
    g_mutex_unlock (&feedback->lock);
  }
  gst_rtcp_buffer_unmap (&rtcp);
  /* Not forced out when rtpsession would suppress it. */
  return FALSE;
}

FeedbackIn *
feedback_in_start (Protocol * protocol, Viewers * viewers, Viewer * owner,
    Measure * measure, GObject * session, gboolean adaptive)
{
  FeedbackIn *feedback = g_new0 (FeedbackIn, 1);

  feedback->ref_count = 1;
  feedback->protocol = protocol;
  feedback->viewers = viewers;
  feedback->owner = owner != NULL ? g_object_ref (owner) : NULL;
  feedback->measure = measure_ref (measure);
  feedback->session = g_object_ref (session);
  g_mutex_init (&feedback->lock);
  if (adaptive)
    g_object_set (session, "rtcp-min-interval",
        (guint64) SENDER_REPORT_INTERVAL_MS * GST_MSECOND, NULL);
  /* Each handler holds a reference: a streaming thread may still be in
   * one while the media goes away. */
  feedback->receiving_id = g_signal_connect_data (session,
      "on-receiving-rtcp", G_CALLBACK (on_receiving_rtcp),
      feedback_ref (feedback), feedback_unref, 0);
  feedback->sending_id = g_signal_connect_data (session, "on-sending-rtcp",
      G_CALLBACK (on_sending_rtcp), feedback_ref (feedback), feedback_unref, 0);
  return feedback;
}

void
feedback_in_stop (FeedbackIn * feedback)
{
  g_signal_handler_disconnect (feedback->session, feedback->receiving_id);
  g_signal_handler_disconnect (feedback->session, feedback->sending_id);
  feedback_unref (feedback, NULL);
}
