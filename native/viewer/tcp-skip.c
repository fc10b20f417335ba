#include "viewer/tcp-skip.h"

/* Behind: more than a quarter second of the stream (at least 32 KiB) waits
 * in its socket in two samples in a row: a key frame's burst drains
 * sooner. A socket filled by a path slower than the stream held 210-330 KB,
 * a third to a half second at 5000 kbit/s. */
#define BEHIND_MS 250
#define BEHIND_MIN_BYTES (32 * 1024)
#define BEHIND_SAMPLES 2
/* Caught up: gst-rtsp-server refills the socket while it holds anything
 * for the viewer, so below this its own queue is empty too. */
#define CAUGHT_UP_BYTES (16 * 1024)

static guint64
behind_bytes (guint bitrate_kbps)
{
  return MAX (BEHIND_MIN_BYTES, (guint64) bitrate_kbps * 125 * BEHIND_MS
      / 1000);
}

static GstPad *
payloader_input (GstRTSPMedia * media)
{
  GstElement *bin = gst_rtsp_media_get_element (media);
  GstElement *pay = gst_bin_get_by_name (GST_BIN (bin), "pay0");
  GstPad *pad = NULL;

  if (pay != NULL) {
    pad = gst_element_get_static_pad (pay, "sink");
    gst_object_unref (pay);
  }
  gst_object_unref (bin);
  return pad;
}

void
tcp_skip_allow (TcpSkip * skip, GstRTSPMedia * media,
    GstRTSPStreamTransport * transport, guint bitrate_kbps)
{
  GstPad *key_pad = payloader_input (media);

  if (key_pad == NULL)
    return;
  g_set_object (&skip->transport, transport);
  g_clear_object (&skip->key_pad);
  skip->key_pad = key_pad;
  skip->bitrate_kbps = bitrate_kbps;
  skip->phase = SKIP_SENDING;
  skip->behind_samples = 0;
}

void
tcp_skip_forget (TcpSkip * skip)
{
  g_clear_object (&skip->transport);
  g_clear_object (&skip->key_pad);
  skip->phase = SKIP_SENDING;
}

static guint64
skipped_bytes (const TcpSkip * skip, const StreamPosition * position)
{
  guint64 skipping = skip->phase == SKIP_SENDING
      || position->bytes < skip->from_bytes ? 0
      : position->bytes - skip->from_bytes;

  return skip->skipped_bytes + skipping;
}

guint64
tcp_skip_offered_bytes (const TcpSkip * skip, const StreamPosition * position)
{
  return position->bytes - MIN (skipped_bytes (skip, position),
      position->bytes);
}

TcpSkipChange
tcp_skip_sample (TcpSkip * skip, gboolean playing, gint unsent_bytes,
    const StreamPosition * position)
{
  TcpSkipChange change = { NULL, NULL };
  SkipPhase from = skip->phase;

  if (skip->transport == NULL || !playing || !position->started)
    return change;
  switch (skip->phase) {
    case SKIP_SENDING:
      if ((guint64) unsent_bytes > behind_bytes (skip->bitrate_kbps))
        skip->behind_samples++;
      else
        skip->behind_samples = 0;
      if (skip->behind_samples < BEHIND_SAMPLES)
        break;
      skip->behind_samples = 0;
      skip->phase = SKIP_SKIPPING;
      skip->since_us = g_get_monotonic_time ();
      skip->from_bytes = position->bytes;
      break;
    case SKIP_SKIPPING:
      if (unsent_bytes < CAUGHT_UP_BYTES)
        skip->phase = SKIP_RESUMING;
      break;
    case SKIP_RESUMING:
      break;
  }
  if (skip->phase == from)
    return change;
  if (from == SKIP_SENDING)
    change.leave = g_object_ref (skip->transport);
  else
    change.resume = g_object_ref (skip->transport);
  return change;
}

void
tcp_skip_change_clear (TcpSkipChange * change)
{
  g_clear_object (&change->leave);
  g_clear_object (&change->resume);
}

/* A viewer waiting for the next key frame at its payloader's input. */
typedef struct
{
  TcpSkip *skip;                /* in `owner`, guarded by `lock` */
  GMutex *lock;
  Measure *measure;             /* a reference, or NULL */
  GstRTSPStreamTransport *transport;    /* a reference */
  TcpSkipResume resumed;
  GObject *owner;               /* a reference */
} Resume;

static void
resume_free (gpointer data)
{
  Resume *resume = data;

  g_clear_pointer (&resume->measure, measure_unref);
  g_object_unref (resume->transport);
  g_object_unref (resume->owner);
  g_free (resume);
}

/* The payloader's streaming thread. */
static GstPadProbeReturn
on_payloader_input (GstPad * pad G_GNUC_UNUSED, GstPadProbeInfo * probe,
    gpointer user_data)
{
  Resume *resume = user_data;
  TcpSkip *skip = resume->skip;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (probe);
  StreamPosition position = { 0 };
  TcpSkipResumed resumed = { 0 };
  gboolean back = FALSE;
  guint64 skipped;

  if (GST_BUFFER_FLAG_IS_SET (buffer, GST_BUFFER_FLAG_DELTA_UNIT))
    return GST_PAD_PROBE_OK;

  g_mutex_lock (resume->lock);
  if (skip->phase == SKIP_RESUMING && skip->transport == resume->transport) {
    /* The Measure's lock nests in the viewer's. */
    if (resume->measure != NULL)
      measure_position (resume->measure, &position);
    gst_rtsp_stream_transport_set_active (resume->transport, TRUE);
    skipped = skipped_bytes (skip, &position) - skip->skipped_bytes;
    resumed.skipped_us = g_get_monotonic_time () - skip->since_us;
    resumed.skipped_bytes = skipped;
    skip->skipped_bytes += skipped;
    skip->phase = SKIP_SENDING;
    back = TRUE;
  }
  g_mutex_unlock (resume->lock);

  if (back)
    resume->resumed (resume->owner, &resumed);
  return GST_PAD_PROBE_REMOVE;
}

void
tcp_skip_resume_at_key_frame (TcpSkip * skip, GMutex * lock,
    Measure * measure, GstRTSPStreamTransport * transport,
    TcpSkipResume resumed, GObject * owner)
{
  Resume *resume = g_new0 (Resume, 1);
  GstPad *key_pad;

  g_mutex_lock (lock);
  key_pad = skip->key_pad == NULL ? NULL : g_object_ref (skip->key_pad);
  g_mutex_unlock (lock);
  resume->skip = skip;
  resume->lock = lock;
  resume->measure = measure == NULL ? NULL : measure_ref (measure);
  resume->transport = g_object_ref (transport);
  resume->resumed = resumed;
  resume->owner = g_object_ref (owner);
  if (key_pad == NULL) {
    resume_free (resume);
    return;
  }
  gst_pad_add_probe (key_pad, GST_PAD_PROBE_TYPE_BUFFER, on_payloader_input,
      resume, resume_free);
  g_object_unref (key_pad);
}
