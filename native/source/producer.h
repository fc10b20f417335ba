/* Decodes a file in a loop, in real time, into the appsrcs of every media
 * that serves it: one decode and scale, however many encoders; its audio
 * (when the mounts send any) into their audio appsrcs, on the same clock. */
#ifndef RTSP_HELPER_PRODUCER_H
#define RTSP_HELPER_PRODUCER_H

#include <gst/gst.h>

#include "source/decode-pipeline.h"


/* Called on the default main context; user_data must outlive the producer. */
typedef struct _Producer Producer;

/* Where a live source stands while it is pulled. */
typedef enum
{
  PRODUCER_CONNECTING,          /* no frame yet since it was last (re)built */
  PRODUCER_LIVE,
  PRODUCER_LOST,                /* was live; being rebuilt */
} ProducerState;

/* A live source as it comes in: its own size and rate, not the output's. */
typedef struct
{
  gint width;                   /* 0: not known yet */
  gint height;
  gdouble fps;                  /* frames received over the last second */
  gdouble kbps;                 /* its compressed video over the last second */
  guint reconnects;
} ProducerStats;

typedef struct
{
  void (*looped) (guint count, gpointer user_data);
  void (*failed) (Producer * producer, const GError * error,
      gpointer user_data);
  /* Live sources: on each change; error is the last one (NULL when live). */
  void (*state) (ProducerState state, const gchar * error,
      gpointer user_data);
  /* Live sources: every second while pulled. */
  void (*stats) (const ProducerStats * stats, gpointer user_data);
} ProducerCallbacks;

/* Builds the producer, waits (bounded) for its first frame and starts it.
 * A failure to decode is reported through callbacks->failed; NULL is only
 * returned when the pipeline cannot be built. *caps receives the negotiated
 * raw caps, or NULL when they are not known yet. Call from any thread.
 * A live source (config->uri) is not waited for: it connects in the
 * background, its frames go out as they come, its last picture (or a
 * slate) stands in while it has none, and any error or silence rebuilds
 * it after a backoff (callbacks->state), forever: it never fails. It must
 * be released on the main thread. */
Producer *producer_start (const ProducerConfig * config,
    const ProducerCallbacks * callbacks, gpointer user_data, GstCaps ** caps,
    GError ** error);

/* Each frame goes to every appsrc added, and the audio to every
 * audio_appsrc (NULL: the media has none), stamped with that media's
 * running time at the sample's time. Any thread. */
void producer_add_sinks (Producer * producer, GstElement * appsrc,
    GstElement * audio_appsrc);
/* Whether any appsrc is fed. Any thread. */
gboolean producer_has_sinks (Producer * producer);
/* Returns how many (video) appsrcs are left. Any thread. */
guint producer_remove_sinks (Producer * producer, GstElement * appsrc,
    GstElement * audio_appsrc);
/* The producer stopped on an error: it feeds nothing any more. */
gboolean producer_has_failed (Producer * producer);
/* A frame went to a playing media. */
gboolean producer_has_fed (Producer * producer);

Producer *producer_ref (Producer * producer);
/* Stops the producer and drops the caller's reference. Any thread. */
void producer_release (Producer * producer);
/* Drops a reference without stopping it. */
void producer_unref (Producer * producer);

#endif /* RTSP_HELPER_PRODUCER_H */
