#include "encoder/measure.h"

#include <gst/rtp/rtp.h>

#include "encoder/frame-table.h"
#include "source/arrival.h"
#include "source/file-position.h"

#define TICK_MS 250
#define TICKS_PER_STATS 4

struct _Measure
{
  gint ref_count;
  Protocol *protocol;
  guint encoder;
  gchar *mount;
  GstPad *enc_sink, *enc_src, *pay_src;
  gulong enc_sink_probe, enc_src_probe, pay_src_probe;
  GSource *tick;
  guint ticks;                  /* main thread only */

  GMutex lock;                  /* for what follows */
  FrameTable frames;
  SendLog sends;
  StreamPosition position;
};

guint
measure_encoder (Measure * measure)
{
  return measure->encoder;
}

const gchar *
measure_mount (Measure * measure)
{
  return measure->mount;
}

Measure *
measure_ref (Measure * measure)
{
  g_atomic_int_inc (&measure->ref_count);
  return measure;
}

void
measure_unref (gpointer data)
{
  Measure *measure = data;

  if (!g_atomic_int_dec_and_test (&measure->ref_count))
    return;
  gst_object_unref (measure->enc_sink);
  gst_object_unref (measure->enc_src);
  gst_object_unref (measure->pay_src);
  g_mutex_clear (&measure->lock);
  g_free (measure->mount);
  g_free (measure);
}

static GstPadProbeReturn
on_encoder_input (GstPad * pad G_GNUC_UNUSED, GstPadProbeInfo * info,
    gpointer user_data)
{
  Measure *measure = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);

  if (!GST_BUFFER_PTS_IS_VALID (buffer))
    return GST_PAD_PROBE_OK;
  g_mutex_lock (&measure->lock);
  /* A live frame's latency runs from its arrival at the helper. */
  frame_table_add_input (&measure->frames, GST_BUFFER_PTS (buffer),
      arrival_of (buffer) > 0 ? arrival_of (buffer) : g_get_monotonic_time (),
      file_position_of (buffer));
  g_mutex_unlock (&measure->lock);
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
on_encoder_output (GstPad * pad G_GNUC_UNUSED, GstPadProbeInfo * info,
    gpointer user_data)
{
  Measure *measure = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);

  if (!GST_BUFFER_PTS_IS_VALID (buffer))
    return GST_PAD_PROBE_OK;
  g_mutex_lock (&measure->lock);
  frame_table_add_output (&measure->frames, buffer);
  g_mutex_unlock (&measure->lock);
  return GST_PAD_PROBE_OK;
}

/* Counts one packet; returns the `frame` record it completes, if any. */
static Record *
count_packet (Measure * measure, GstBuffer * buffer, gint64 out_us)
{
  GstClockTime pts = GST_BUFFER_PTS (buffer);
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  gsize bytes = gst_buffer_get_size (buffer);
  gboolean marker = FALSE;
  const FrameSlot *slot;
  Record *record = NULL;

  g_mutex_lock (&measure->lock);
  measure->position.packets++;
  measure->position.bytes += bytes;
  if (gst_rtp_buffer_map (buffer, GST_MAP_READ, &rtp)) {
    guint16 seq = gst_rtp_buffer_get_seq (&rtp);

    marker = gst_rtp_buffer_get_marker (&rtp);
    send_log_add (&measure->sends, seq, gst_rtp_buffer_get_timestamp (&rtp),
        bytes, out_us);
    if (!measure->position.started)
      measure->position.first_seq = seq;
    measure->position.ssrc = gst_rtp_buffer_get_ssrc (&rtp);
    measure->position.next_seq = seq + 1;
    measure->position.started = TRUE;
    gst_rtp_buffer_unmap (&rtp);
  }
  if (GST_CLOCK_TIME_IS_VALID (pts) && marker) {
    record = record_new ("frame");
    record_add_string (record, "mount", measure->mount);
    record_add_int (record, "encoder", measure->encoder);
    slot = frame_table_find_encoded (&measure->frames, pts);
    if (slot != NULL) {
      record_add_int (record, "pts_us", GST_TIME_AS_USECONDS (slot->in_pts));
      record_add_int (record, "in_us", slot->in_us);
      if (GST_CLOCK_TIME_IS_VALID (slot->file_position))
        record_add_int (record, "file_us",
            GST_TIME_AS_USECONDS (slot->file_position));
    }
    record_add_int (record, "out_us", out_us);
    if (slot != NULL) {
      record_add_int (record, "bytes", slot->bytes);
      record_add_boolean (record, "key", slot->key);
    }
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
    record_emit_batched (measure->protocol, g_ptr_array_index (records, i));
  g_ptr_array_unref (records);
  return GST_PAD_PROBE_OK;
}

static void
emit_stats (Measure * measure)
{
  Record *record = record_new ("stats");

  record_add_int (record, "t_us", g_get_monotonic_time ());
  record_add_string (record, "mount", measure->mount);
  record_add_int (record, "encoder", measure->encoder);
  g_mutex_lock (&measure->lock);
  record_add_int (record, "packets_sent", measure->position.packets);
  record_add_int (record, "bytes_sent", measure->position.bytes);
  g_mutex_unlock (&measure->lock);
  record_emit (measure->protocol, record);
}

static gboolean
on_tick (gpointer user_data)
{
  Measure *measure = user_data;

  if (++measure->ticks % TICKS_PER_STATS == 0)
    emit_stats (measure);
  /* Frame records wait at most one tick. */
  protocol_flush (measure->protocol);
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
measure_start (Protocol * protocol, guint encoder, const gchar * mount,
    GstElement * enc, GstElement * pay)
{
  Measure *measure;

  measure = g_new0 (Measure, 1);
  measure->ref_count = 1;
  measure->protocol = protocol;
  measure->encoder = encoder;
  measure->mount = g_strdup (mount);
  g_mutex_init (&measure->lock);
  frame_table_init (&measure->frames);
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
    g_mutex_clear (&measure->lock);
    g_free (measure->mount);
    g_free (measure);
    return NULL;
  }
}

void
measure_position (Measure * measure, StreamPosition * position)
{
  g_mutex_lock (&measure->lock);
  *position = measure->position;
  g_mutex_unlock (&measure->lock);
}

const SendLog *
measure_lock_send_log (Measure * measure, StreamPosition * position)
{
  g_mutex_lock (&measure->lock);
  *position = measure->position;
  return &measure->sends;
}

void
measure_unlock_send_log (Measure * measure)
{
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
