/* Decodes a file in a loop, in real time, into the appsrcs of every media
 * that serves it: one decode and scale, however many encoders; its audio
 * (when the mounts send any) into their audio appsrcs, on the same clock. */
#ifndef RTSP_HELPER_PRODUCER_H
#define RTSP_HELPER_PRODUCER_H

#include <gst/gst.h>

#include "source/decode-pipeline.h"


/* Called on the default main context; user_data must outlive the producer. */
typedef struct _Producer Producer;

typedef struct
{
  void (*looped) (guint count, gpointer user_data);
  void (*failed) (Producer * producer, const GError * error,
      gpointer user_data);
} ProducerCallbacks;

/* Builds the producer, waits (bounded) for its first frame and starts it.
 * A failure to decode is reported through callbacks->failed; NULL is only
 * returned when the pipeline cannot be built. *caps receives the negotiated
 * raw caps, or NULL when they are not known yet. Call from any thread. */
Producer *producer_start (const ProducerConfig * config,
    const ProducerCallbacks * callbacks, gpointer user_data, GstCaps ** caps,
    GError ** error);

/* Each frame goes to every appsrc added, and the audio to every
 * audio_appsrc (NULL: the media has none), stamped with that media's
 * running time at the sample's time. Any thread. */
void producer_add_sinks (Producer * producer, GstElement * appsrc,
    GstElement * audio_appsrc);
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
