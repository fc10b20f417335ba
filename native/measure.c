#include "measure.h"

#include <gst/rtp/rtp.h>

#include "clients.h"

/* Frames between the encoder's input and the payloader's output: x264enc
 * zerolatency holds none, the appsrc queue a few. */
#define FRAME_SLOTS 32
#define TICK_MS 250
#define TICKS_PER_STATS 4
/* H.264 over RTP always has a 90 kHz clock (RFC 6184). */
#define RTP_CLOCK_RATE 90000

typedef struct
{
  GstClockTime in_pts;
  GstClockTime out_pts;         /* NONE until encoded */
  gint64 in_us;
  gsize bytes;
  gboolean key;
} FrameSlot;

/* The last receiver report seen from one viewer's SSRC. */
typedef struct
{
  guint seq, jitter, lsr, dlsr, fraction;
  gint lost;
  guint reports;
} ReportState;

struct _Measure
{
  gint ref_count;
  App *app;
  GstPad *enc_sink, *enc_src, *pay_src;
  gulong enc_sink_probe, enc_src_probe, pay_src_probe;
  GSource *tick;
  guint ticks;                  /* main thread only */
  GHashTable *reports;          /* ssrc -> ReportState, main thread only */

  GMutex lock;                  /* for what follows */
  GObject *session;
  FrameSlot frames[FRAME_SLOTS];
  guint next_frame;
  /* x264enc shifts every PTS by one constant (GstVideoEncoder's min-pts),
   * learnt from its first frame: output PTS = input PTS + pts_offset. */
  GstClockTimeDiff pts_offset;
  gboolean have_pts_offset;
  guint64 packets_sent, bytes_sent;
};

static Measure *
measure_ref (Measure * measure)
{
  g_atomic_int_inc (&measure->ref_count);
  return measure;
}

static void
measure_unref (gpointer data)
{
  Measure *measure = data;

  if (!g_atomic_int_dec_and_test (&measure->ref_count))
    return;
  gst_object_unref (measure->enc_sink);
  gst_object_unref (measure->enc_src);
  gst_object_unref (measure->pay_src);
  g_clear_object (&measure->session);
  g_hash_table_unref (measure->reports);
  g_mutex_clear (&measure->lock);
  g_free (measure);
}

/* With the lock. */
static FrameSlot *
find_frame (Measure * measure, gboolean encoded, GstClockTime pts)
{
  guint i;

  for (i = 0; i < FRAME_SLOTS; i++) {
    FrameSlot *slot = &measure->frames[i];

    if ((encoded ? slot->out_pts : slot->in_pts) == pts)
      return slot;
  }
  return NULL;
}

/* With the lock. The first frame still to be encoded. */
static FrameSlot *
oldest_pending (Measure * measure)
{
  FrameSlot *oldest = NULL;
  guint i;

  for (i = 0; i < FRAME_SLOTS; i++) {
    FrameSlot *slot = &measure->frames[i];

    if (GST_CLOCK_TIME_IS_VALID (slot->in_pts)
        && !GST_CLOCK_TIME_IS_VALID (slot->out_pts)
        && (oldest == NULL || slot->in_pts < oldest->in_pts))
      oldest = slot;
  }
  return oldest;
}

static GstPadProbeReturn
on_encoder_input (GstPad * pad G_GNUC_UNUSED, GstPadProbeInfo * info,
    gpointer user_data)
{
  Measure *measure = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  FrameSlot *slot;

  if (!GST_BUFFER_PTS_IS_VALID (buffer))
    return GST_PAD_PROBE_OK;
  g_mutex_lock (&measure->lock);
  slot = &measure->frames[measure->next_frame++ % FRAME_SLOTS];
  slot->in_pts = GST_BUFFER_PTS (buffer);
  slot->out_pts = GST_CLOCK_TIME_NONE;
  slot->in_us = g_get_monotonic_time ();
  g_mutex_unlock (&measure->lock);
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
on_encoder_output (GstPad * pad G_GNUC_UNUSED, GstPadProbeInfo * info,
    gpointer user_data)
{
  Measure *measure = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  GstClockTime pts = GST_BUFFER_PTS (buffer);
  FrameSlot *slot = NULL;

  if (!GST_CLOCK_TIME_IS_VALID (pts))
    return GST_PAD_PROBE_OK;
  g_mutex_lock (&measure->lock);
  if (measure->have_pts_offset) {
    slot = find_frame (measure, FALSE, pts - measure->pts_offset);
  } else if ((slot = oldest_pending (measure)) != NULL) {
    measure->pts_offset = GST_CLOCK_DIFF (slot->in_pts, pts);
    measure->have_pts_offset = TRUE;
  }
  if (slot != NULL) {
    slot->out_pts = pts;
    slot->bytes = gst_buffer_get_size (buffer);
    slot->key = !GST_BUFFER_FLAG_IS_SET (buffer, GST_BUFFER_FLAG_DELTA_UNIT);
  }
  g_mutex_unlock (&measure->lock);
  return GST_PAD_PROBE_OK;
}

static gboolean
has_marker (GstBuffer * buffer)
{
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  gboolean marker;

  if (!gst_rtp_buffer_map (buffer, GST_MAP_READ, &rtp))
    return FALSE;
  marker = gst_rtp_buffer_get_marker (&rtp);
  gst_rtp_buffer_unmap (&rtp);
  return marker;
}

/* Counts one packet; returns the `frame` record it completes, if any. */
static Record *
count_packet (Measure * measure, GstBuffer * buffer, gint64 out_us)
{
  GstClockTime pts = GST_BUFFER_PTS (buffer);
  FrameSlot *slot;
  Record *record;

  g_mutex_lock (&measure->lock);
  measure->packets_sent++;
  measure->bytes_sent += gst_buffer_get_size (buffer);
  g_mutex_unlock (&measure->lock);
  if (!GST_CLOCK_TIME_IS_VALID (pts) || !has_marker (buffer))
    return NULL;

  record = record_new ("frame");
  g_mutex_lock (&measure->lock);
  slot = find_frame (measure, TRUE, pts);
  if (slot != NULL) {
    record_add_int (record, "pts_us", GST_TIME_AS_USECONDS (slot->in_pts));
    record_add_int (record, "in_us", slot->in_us);
  }
  record_add_int (record, "out_us", out_us);
  if (slot != NULL) {
    record_add_int (record, "bytes", slot->bytes);
    record_add_boolean (record, "key", slot->key);
  }
  g_mutex_unlock (&measure->lock);
  return record;
}

static GstPadProbeReturn
on_payloader_output (GstPad * pad G_GNUC_UNUSED, GstPadProbeInfo * info,
    gpointer user_data)
{
  Measure *measure = user_data;
  gint64 out_us = g_get_monotonic_time ();
  GPtrArray *records = g_ptr_array_new ();
  guint i;

  if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST) {
    GstBufferList *list = GST_PAD_PROBE_INFO_BUFFER_LIST (info);

    for (i = 0; i < gst_buffer_list_length (list); i++) {
      Record *record = count_packet (measure, gst_buffer_list_get (list, i),
          out_us);

      if (record != NULL)
        g_ptr_array_add (records, record);
    }
  } else {
    Record *record = count_packet (measure, GST_PAD_PROBE_INFO_BUFFER (info),
        out_us);

    if (record != NULL)
      g_ptr_array_add (records, record);
  }
  for (i = 0; i < records->len; i++)
    record_emit_batched (&measure->app->protocol,
        g_ptr_array_index (records, i));
  g_ptr_array_unref (records);
  return GST_PAD_PROBE_OK;
}

static void
emit_stats (Measure * measure)
{
  Record *record = record_new ("stats");

  record_add_int (record, "t_us", g_get_monotonic_time ());
  g_mutex_lock (&measure->lock);
  record_add_int (record, "packets_sent", measure->packets_sent);
  record_add_int (record, "bytes_sent", measure->bytes_sent);
  g_mutex_unlock (&measure->lock);
  record_emit (&measure->app->protocol, record);
}

/* "ADDRESS:PORT", as rtpsession formats `rtcp-from`. */
static gboolean
split_address (const gchar * from, gchar ** address, guint * port)
{
  const gchar *colon = strrchr (from, ':');
  guint64 value;

  if (colon == NULL || !g_ascii_string_to_unsigned (colon + 1, 10, 1,
          G_MAXUINT16, &value, NULL))
    return FALSE;
  *address = g_strndup (from, colon - from);
  *port = (guint) value;
  return TRUE;
}

static void
emit_report (Measure * measure, guint ssrc, const GstStructure * source,
    const ReportState * report, guint round_trip)
{
  Record *record = record_new ("rtcp");
  const gchar *from = gst_structure_get_string (source, "rtcp-from");
  gchar *address = NULL;
  const gchar *transport;
  guint port, client_id;

  record_add_int (record, "ssrc", ssrc);
  if (from != NULL && split_address (from, &address, &port)) {
    if (clients_find_rtcp_sender (measure->app, address, port, &client_id,
            &transport)) {
      record_add_int (record, "client_id", client_id);
      record_add_string (record, "transport", transport);
    }
    record_add_string (record, "address", address);
  }
  /* 0 until the viewer has echoed one of our sender reports. */
  if (round_trip > 0)
    record_add_int (record, "rtt_us",
        gst_util_uint64_scale_round (round_trip, G_USEC_PER_SEC, 65536));
  record_add_int (record, "jitter_us",
      gst_util_uint64_scale_round (report->jitter, G_USEC_PER_SEC,
          RTP_CLOCK_RATE));
  record_add_double (record, "fraction_lost", report->fraction / 256.0);
  record_add_int (record, "packets_lost", report->lost);
  record_add_int (record, "highest_seq", report->seq);
  record_add_int (record, "reports", report->reports);
  record_emit (&measure->app->protocol, record);
  g_free (address);
}

/* rtpsession stores a receiver report's block on the source that sent it:
 * the viewer's. A report is new when any of its fields changed. */
static void
check_source (Measure * measure, const GstStructure * source)
{
  gboolean internal = TRUE, have_rb = FALSE;
  ReportState now = { 0 }, *last;
  guint ssrc, round_trip = 0;

  if (!gst_structure_get_boolean (source, "internal", &internal) || internal
      || !gst_structure_get_boolean (source, "have-rb", &have_rb) || !have_rb
      || !gst_structure_get_uint (source, "ssrc", &ssrc)
      || !gst_structure_get (source,
          "rb-exthighestseq", G_TYPE_UINT, &now.seq,
          "rb-jitter", G_TYPE_UINT, &now.jitter,
          "rb-lsr", G_TYPE_UINT, &now.lsr,
          "rb-dlsr", G_TYPE_UINT, &now.dlsr,
          "rb-fractionlost", G_TYPE_UINT, &now.fraction,
          "rb-packetslost", G_TYPE_INT, &now.lost,
          "rb-round-trip", G_TYPE_UINT, &round_trip, NULL))
    return;

  last = g_hash_table_lookup (measure->reports, GUINT_TO_POINTER (ssrc));
  if (last == NULL) {
    last = g_new0 (ReportState, 1);
    g_hash_table_insert (measure->reports, GUINT_TO_POINTER (ssrc), last);
  } else if (last->seq == now.seq && last->jitter == now.jitter
      && last->lsr == now.lsr && last->dlsr == now.dlsr
      && last->fraction == now.fraction && last->lost == now.lost) {
    return;
  }
  now.reports = last->reports + 1;
  *last = now;
  emit_report (measure, ssrc, source, last, round_trip);
}

static void
poll_reports (Measure * measure, GObject * session)
{
  GstStructure *stats = NULL;
  const GValue *sources;

  g_object_get (session, "stats", &stats, NULL);
  if (stats == NULL)
    return;
  sources = gst_structure_get_value (stats, "source-stats");
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS;
  if (sources != NULL && G_VALUE_HOLDS (sources, g_value_array_get_type ())) {
    GValueArray *array = g_value_get_boxed (sources);
    guint i;

    for (i = 0; array != NULL && i < array->n_values; i++)
      check_source (measure, gst_value_get_structure (&array->values[i]));
  }
  G_GNUC_END_IGNORE_DEPRECATIONS;
  gst_structure_free (stats);
}

static gboolean
on_tick (gpointer user_data)
{
  Measure *measure = user_data;
  GObject *session;

  g_mutex_lock (&measure->lock);
  session = measure->session == NULL ? NULL : g_object_ref (measure->session);
  g_mutex_unlock (&measure->lock);
  if (session != NULL) {
    poll_reports (measure, session);
    g_object_unref (session);
  }
  if (++measure->ticks % TICKS_PER_STATS == 0)
    emit_stats (measure);
  /* Frame records wait at most one tick. */
  protocol_flush (&measure->app->protocol);
  return G_SOURCE_CONTINUE;
}

static gulong
add_probe (Measure * measure, GstPad * pad, GstPadProbeType type,
    GstPadProbeCallback callback)
{
  return gst_pad_add_probe (pad, type, callback, measure_ref (measure),
      measure_unref);
}

Measure *
measure_start (App * app, GstElement * enc, GstElement * pay)
{
  Measure *measure;
  guint i;

  measure = g_new0 (Measure, 1);
  measure->ref_count = 1;
  measure->app = app;
  g_mutex_init (&measure->lock);
  measure->reports = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  for (i = 0; i < FRAME_SLOTS; i++)
    measure->frames[i].in_pts = measure->frames[i].out_pts =
        GST_CLOCK_TIME_NONE;
  measure->enc_sink = gst_element_get_static_pad (enc, "sink");
  measure->enc_src = gst_element_get_static_pad (enc, "src");
  measure->pay_src = gst_element_get_static_pad (pay, "src");
  if (measure->enc_sink == NULL || measure->enc_src == NULL
      || measure->pay_src == NULL)
    goto no_pads;

  measure->enc_sink_probe = add_probe (measure, measure->enc_sink,
      GST_PAD_PROBE_TYPE_BUFFER, on_encoder_input);
  measure->enc_src_probe = add_probe (measure, measure->enc_src,
      GST_PAD_PROBE_TYPE_BUFFER, on_encoder_output);
  measure->pay_src_probe = add_probe (measure, measure->pay_src,
      GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST,
      on_payloader_output);

  measure->tick = g_timeout_source_new (TICK_MS);
  g_source_set_callback (measure->tick, on_tick, measure_ref (measure),
      measure_unref);
  g_source_attach (measure->tick, NULL);
  return measure;

  /* ERRORS */
no_pads:
  {
    g_clear_object (&measure->enc_sink);
    g_clear_object (&measure->enc_src);
    g_clear_object (&measure->pay_src);
    g_hash_table_unref (measure->reports);
    g_mutex_clear (&measure->lock);
    g_free (measure);
    return NULL;
  }
}

void
measure_watch_session (Measure * measure, GObject * session)
{
  g_mutex_lock (&measure->lock);
  g_set_object (&measure->session, session);
  g_mutex_unlock (&measure->lock);
}

void
measure_stop (Measure * measure)
{
  gst_pad_remove_probe (measure->enc_sink, measure->enc_sink_probe);
  gst_pad_remove_probe (measure->enc_src, measure->enc_src_probe);
  gst_pad_remove_probe (measure->pay_src, measure->pay_src_probe);
  g_source_destroy (measure->tick);
  g_source_unref (measure->tick);
  measure_unref (measure);
}
