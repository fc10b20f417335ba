#include "source/frame-keeper.h"

#include <string.h>

#include <gst/video/video.h>

/* How long a live source may take to send its first frame before its
 * viewers get the slate: a camera on a LAN answers within it, and a viewer
 * waiting in DESCRIBE gets a picture (the slate) instead of a timeout. */
#define SLATE_AFTER_US G_USEC_PER_SEC
/* Frames missed before the held picture stands in for them. */
#define HOLD_AFTER_FRAMES 2

struct _FrameKeeper
{
  gint ref_count;               /* the owner's and the timer's */
  GMutex lock;
  FanOut *fan_out;
  GstSample *held;              /* the last live frame, else the slate */
  gint64 last_frame_us;
  gint64 started_us;
  gint64 period_us;
  gboolean stopped;
  GSource *timer;
};

/* Black in limited range I420: Y 16, U and V 128. */
static GstSample *
slate_new (GstCaps * caps)
{
  GstVideoInfo info;
  GstBuffer *buffer;
  GstMapInfo map;
  GstSample *sample;

  if (!gst_video_info_from_caps (&info, caps))
    return NULL;
  buffer = gst_buffer_new_allocate (NULL, GST_VIDEO_INFO_SIZE (&info), NULL);
  if (!gst_buffer_map (buffer, &map, GST_MAP_WRITE))
    goto map_failed;
  memset (map.data, 128, map.size);
  memset (map.data + GST_VIDEO_INFO_PLANE_OFFSET (&info, 0), 16,
      (gsize) GST_VIDEO_INFO_PLANE_STRIDE (&info, 0) *
      GST_VIDEO_INFO_HEIGHT (&info));
  gst_buffer_unmap (buffer, &map);
  sample = gst_sample_new (buffer, caps, NULL, NULL);
  gst_buffer_unref (buffer);
  return sample;

  /* ERRORS */
map_failed:
  {
    gst_buffer_unref (buffer);
    return NULL;
  }
}

static FrameKeeper *
keeper_ref (FrameKeeper * keeper)
{
  g_atomic_int_inc (&keeper->ref_count);
  return keeper;
}

static void
keeper_unref (gpointer data)
{
  FrameKeeper *keeper = data;

  if (!g_atomic_int_dec_and_test (&keeper->ref_count))
    return;
  g_clear_pointer (&keeper->held, gst_sample_unref);
  g_mutex_clear (&keeper->lock);
  g_free (keeper);
}

/* Main thread, every frame period. */
static gboolean
on_tick (gpointer user_data)
{
  FrameKeeper *keeper = user_data;
  gint64 now = g_get_monotonic_time ();
  gboolean due;

  g_mutex_lock (&keeper->lock);
  if (keeper->stopped) {
    g_mutex_unlock (&keeper->lock);
    return G_SOURCE_REMOVE;
  }
  if (keeper->last_frame_us == 0)
    due = now - keeper->started_us >= SLATE_AFTER_US;
  else
    due = now - keeper->last_frame_us >= HOLD_AFTER_FRAMES * keeper->period_us;
  /* Under the lock: frame_keeper_free() must not return while a push
   * runs (the fan-out is its owner's); the appsrcs drop rather than block
   * (leaky). */
  if (due && keeper->held != NULL)
    fan_out_push (keeper->fan_out, keeper->held, 0);
  g_mutex_unlock (&keeper->lock);
  return G_SOURCE_CONTINUE;
}

FrameKeeper *
frame_keeper_new (FanOut * fan_out, GstCaps * caps)
{
  FrameKeeper *keeper = g_new0 (FrameKeeper, 1);
  GstVideoInfo info;
  gint fps_n = 25, fps_d = 1;

  if (gst_video_info_from_caps (&info, caps)
      && GST_VIDEO_INFO_FPS_N (&info) > 0) {
    fps_n = GST_VIDEO_INFO_FPS_N (&info);
    fps_d = GST_VIDEO_INFO_FPS_D (&info);
  }
  keeper->ref_count = 1;
  g_mutex_init (&keeper->lock);
  keeper->fan_out = fan_out;
  keeper->held = slate_new (caps);
  keeper->started_us = g_get_monotonic_time ();
  keeper->period_us = G_USEC_PER_SEC * fps_d / fps_n;
  keeper->timer = g_timeout_source_new ((guint) (keeper->period_us / 1000));
  g_source_set_callback (keeper->timer, on_tick, keeper_ref (keeper),
      keeper_unref);
  g_source_attach (keeper->timer, NULL);
  return keeper;
}

void
frame_keeper_free (FrameKeeper * keeper)
{
  g_mutex_lock (&keeper->lock);
  keeper->stopped = TRUE;
  g_mutex_unlock (&keeper->lock);
  /* A tick running now has found `stopped`, or finished its push: it
   * holds its own reference until its source is gone. */
  g_source_destroy (keeper->timer);
  g_source_unref (keeper->timer);
  keeper_unref (keeper);
}

void
frame_keeper_take (FrameKeeper * keeper, GstSample * sample)
{
  g_mutex_lock (&keeper->lock);
  gst_sample_ref (sample);
  g_clear_pointer (&keeper->held, gst_sample_unref);
  keeper->held = sample;
  keeper->last_frame_us = g_get_monotonic_time ();
  g_mutex_unlock (&keeper->lock);
}

gint64
frame_keeper_last_frame_us (FrameKeeper * keeper)
{
  gint64 last;

  g_mutex_lock (&keeper->lock);
  last = keeper->last_frame_us;
  g_mutex_unlock (&keeper->lock);
  return last;
}
