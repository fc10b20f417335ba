#include "source/sample-keeper.h"

/* How long a live source may take to send its first frame before its
 * viewers get the filler: a camera on a LAN answers within it, and a
 * viewer waiting in DESCRIBE gets a picture (the slate) and audio
 * (silence) instead of a timeout. */
#define FILL_FIRST_AFTER_US G_USEC_PER_SEC

struct _SampleKeeper
{
  GMutex lock;
  GCond wake;                   /* stopping */
  FanOut *fan_out;
  SampleKeeperMode mode;
  GstSample *held;              /* what stands in */
  gint64 last_us;               /* of the last live sample */
  gint64 started_us;
  gint64 period_us;
  gint64 gap_us;
  gint64 next_fill_us;          /* 0: not filling */
  gboolean stopped;
  GThread *thread;
};

/* As many fills as are due since the filling began, each stamped at its
 * own due time. Called with the lock held: sample_keeper_free() must not
 * return while a push runs (the fan-out is its owner's); the appsrcs drop
 * rather than block (leaky). */
static void
fill (SampleKeeper * keeper, gint64 now)
{
  gboolean due;

  if (keeper->last_us == 0)
    due = now - keeper->started_us >= FILL_FIRST_AFTER_US;
  else
    due = now - keeper->last_us >= keeper->gap_us;
  if (!due) {
    keeper->next_fill_us = 0;
    return;
  }
  if (keeper->next_fill_us == 0)
    keeper->next_fill_us = now;
  while (keeper->held != NULL && keeper->next_fill_us <= now) {
    fan_out_push (keeper->fan_out, keeper->held,
        (GstClockTime) (now - keeper->next_fill_us) * GST_USECOND);
    keeper->next_fill_us += keeper->period_us;
  }
}

/* Its own thread, every period: not the main loop, which a client's
 * request may hold up for longer than a viewer's player can wait. */
static gpointer
run (gpointer data)
{
  SampleKeeper *keeper = data;

  g_mutex_lock (&keeper->lock);
  while (!keeper->stopped) {
    gint64 now = g_get_monotonic_time ();

    fill (keeper, now);
    g_cond_wait_until (&keeper->wake, &keeper->lock, now + keeper->period_us);
  }
  g_mutex_unlock (&keeper->lock);
  return NULL;
}

SampleKeeper *
sample_keeper_new (FanOut * fan_out, GstSample * filler,
    SampleKeeperMode mode, gint64 period_us, gint64 gap_us)
{
  SampleKeeper *keeper = g_new0 (SampleKeeper, 1);

  g_mutex_init (&keeper->lock);
  g_cond_init (&keeper->wake);
  keeper->fan_out = fan_out;
  keeper->mode = mode;
  keeper->held = filler != NULL ? gst_sample_ref (filler) : NULL;
  keeper->started_us = g_get_monotonic_time ();
  keeper->period_us = period_us;
  keeper->gap_us = gap_us;
  keeper->thread = g_thread_new ("sample-keeper", run, keeper);
  return keeper;
}

void
sample_keeper_free (SampleKeeper * keeper)
{
  g_mutex_lock (&keeper->lock);
  keeper->stopped = TRUE;
  g_cond_signal (&keeper->wake);
  g_mutex_unlock (&keeper->lock);
  g_thread_join (keeper->thread);
  g_clear_pointer (&keeper->held, gst_sample_unref);
  g_cond_clear (&keeper->wake);
  g_mutex_clear (&keeper->lock);
  g_free (keeper);
}

void
sample_keeper_take (SampleKeeper * keeper, GstSample * sample)
{
  g_mutex_lock (&keeper->lock);
  if (keeper->mode == SAMPLE_KEEPER_HOLD_LAST) {
    gst_sample_ref (sample);
    g_clear_pointer (&keeper->held, gst_sample_unref);
    keeper->held = sample;
  }
  keeper->last_us = g_get_monotonic_time ();
  g_mutex_unlock (&keeper->lock);
}

gint64
sample_keeper_last_us (SampleKeeper * keeper)
{
  gint64 last;

  g_mutex_lock (&keeper->lock);
  last = keeper->last_us;
  g_mutex_unlock (&keeper->lock);
  return last;
}
