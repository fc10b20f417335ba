#include "viewer/skip.h"

#include "viewer/client-records.h"
#include "viewer/tcp-viewers.h"

/* Once the socket of a viewer that cannot take the stream is full,
 * gst-rtsp-server queues for it, and while it is the media's only TCP
 * viewer it stops taking the media's packets for every viewer: the check
 * must be quick. */
#define CHECK_INTERVAL_MS 100
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

/* A viewer waiting for the next key frame at its payloader's input. */
typedef struct
{
  App *app;
  ClientInfo *info;             /* a reference */
  GstRTSPStreamTransport *transport;
} Resume;

static void
resume_free (gpointer data)
{
  Resume *resume = data;

  client_info_release (resume->info);
  g_object_unref (resume->transport);
  g_free (resume);
}

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
skip_allow (ClientInfo * info, GstRTSPMedia * media,
    GstRTSPStreamTransport * transport, guint bitrate_kbps)
{
  GstPad *key_pad = payloader_input (media);

  if (key_pad == NULL)
    return;
  g_set_object (&info->skip_transport, transport);
  g_clear_object (&info->skip_key_pad);
  info->skip_key_pad = key_pad;
  info->skip_bitrate_kbps = bitrate_kbps;
  info->skip_phase = SKIP_SENDING;
  info->behind_samples = 0;
}

void
skip_forget (App * app, ClientInfo * info)
{
  g_mutex_lock (&app->lock);
  g_clear_object (&info->skip_transport);
  g_clear_object (&info->skip_key_pad);
  info->skip_phase = SKIP_SENDING;
  g_mutex_unlock (&app->lock);
}

/* Under app->lock. */
static guint64
skipped_bytes (ClientInfo * info, const StreamPosition * position)
{
  guint64 skipping = info->skip_phase == SKIP_SENDING
      || position->bytes < info->skip_from_bytes ? 0
      : position->bytes - info->skip_from_bytes;

  return info->skipped_bytes + skipping;
}

guint64
skip_offered_bytes (App * app, ClientInfo * info,
    const StreamPosition * position)
{
  guint64 skipped;

  g_mutex_lock (&app->lock);
  skipped = skipped_bytes (info, position);
  g_mutex_unlock (&app->lock);
  return position->bytes - MIN (skipped, position->bytes);
}

/* The payloader's streaming thread. The transport joins the stream before
 * the key frame's packets are made; under app->lock, so that it never
 * joins after its session ended (skip_forget). */
static GstPadProbeReturn
on_payloader_input (GstPad * pad G_GNUC_UNUSED, GstPadProbeInfo * probe,
    gpointer user_data)
{
  Resume *resume = user_data;
  ClientInfo *info = resume->info;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (probe);
  StreamPosition position = { 0 };
  gboolean resumed = FALSE;
  gint64 skipped_us = 0;
  guint64 skipped = 0;
  Record *record;

  if (GST_BUFFER_FLAG_IS_SET (buffer, GST_BUFFER_FLAG_DELTA_UNIT))
    return GST_PAD_PROBE_OK;

  g_mutex_lock (&resume->app->lock);
  if (info->playing && info->skip_phase == SKIP_RESUMING
      && info->skip_transport == resume->transport) {
    /* The measure's lock nests in app->lock, as at PLAY (clients.c). */
    if (info->measure != NULL)
      measure_position (info->measure, &position);
    gst_rtsp_stream_transport_set_active (resume->transport, TRUE);
    skipped = skipped_bytes (info, &position) - info->skipped_bytes;
    skipped_us = g_get_monotonic_time () - info->skip_since_us;
    info->skipped_bytes += skipped;
    info->skip_phase = SKIP_SENDING;
    resumed = TRUE;
  }
  g_mutex_unlock (&resume->app->lock);

  if (resumed) {
    record = client_records_new (resume->app, "resumed", info);
    record_add_int (record, "skipped_ms", skipped_us / 1000);
    record_add_int (record, "skipped_bytes", skipped);
    record_emit (&resume->app->protocol, record);
  }
  return GST_PAD_PROBE_REMOVE;
}

static void
resume_at_key_frame (App * app, ClientInfo * info, GstPad * key_pad,
    GstRTSPStreamTransport * transport)
{
  Resume *resume = g_new0 (Resume, 1);

  resume->app = app;
  resume->info = g_atomic_rc_box_acquire (info);
  resume->transport = g_object_ref (transport);
  gst_pad_add_probe (key_pad, GST_PAD_PROBE_TYPE_BUFFER, on_payloader_input,
      resume, resume_free);
}

/* One sample of the viewer's unsent bytes, with where its encoder's stream
 * stands. Main thread, without app->lock. */
static void
skip_check (App * app, ClientInfo * info, gint unsent_bytes,
    const StreamPosition * position)
{
  GstRTSPStreamTransport *transport = NULL;
  GstPad *key_pad = NULL;
  SkipPhase from;
  Record *record;

  g_mutex_lock (&app->lock);
  from = info->skip_phase;
  if (info->skip_transport == NULL || !info->playing || !position->started)
    goto done;
  switch (info->skip_phase) {
    case SKIP_SENDING:
      if ((guint64) unsent_bytes > behind_bytes (info->skip_bitrate_kbps))
        info->behind_samples++;
      else
        info->behind_samples = 0;
      if (info->behind_samples < BEHIND_SAMPLES)
        break;
      info->behind_samples = 0;
      info->skip_phase = SKIP_SKIPPING;
      info->skip_since_us = g_get_monotonic_time ();
      info->skip_from_bytes = position->bytes;
      break;
    case SKIP_SKIPPING:
      if (unsent_bytes < CAUGHT_UP_BYTES)
        info->skip_phase = SKIP_RESUMING;
      break;
    case SKIP_RESUMING:
      break;
  }
  if (info->skip_phase != from) {
    transport = g_object_ref (info->skip_transport);
    key_pad = g_object_ref (info->skip_key_pad);
  }
done:
  g_mutex_unlock (&app->lock);

  if (transport == NULL)
    return;
  if (from == SKIP_SENDING) {
    /* Leaving the stream also drops what gst-rtsp-server queued for it. */
    gst_rtsp_stream_transport_set_active (transport, FALSE);
    record = client_records_new (app, "skipping", info);
    record_add_int (record, "unsent_bytes", unsent_bytes);
    record_emit (&app->protocol, record);
  } else {
    resume_at_key_frame (app, info, key_pad, transport);
  }
  g_object_unref (transport);
  g_object_unref (key_pad);
}

/* Under app->lock. */
static gboolean
is_skippable (const ClientInfo * info)
{
  return info->skip_transport != NULL && info->measure != NULL;
}

static gboolean
on_check_timeout (gpointer user_data)
{
  App *app = user_data;
  GList *viewers = tcp_viewers_list (app, is_skippable), *walk;

  for (walk = viewers; walk != NULL; walk = walk->next) {
    TcpViewer *viewer = walk->data;
    StreamPosition position = { 0 };
    gint unsent;

    if (!tcp_viewer_unsent (viewer, &unsent))
      continue;
    measure_position (viewer->measure, &position);
    skip_check (app, viewer->info, unsent, &position);
  }
  tcp_viewers_free (viewers);
  return G_SOURCE_CONTINUE;
}

guint
skip_watch (App * app)
{
  return g_timeout_add (CHECK_INTERVAL_MS, on_check_timeout, app);
}
