/* Decodes a file in a loop, in real time, into a media's appsrc. */
#ifndef RTSP_HELPER_PRODUCER_H
#define RTSP_HELPER_PRODUCER_H

#include <gst/gst.h>

typedef struct
{
  const gchar *file;
  gint width;
  gint height;
  gint fps;                     /* 0 keeps the file's */
} ProducerConfig;

/* Called on the default main context; user_data must outlive the producer. */
typedef struct
{
  void (*looped) (guint count, gpointer user_data);
  void (*failed) (const GError * error, gpointer user_data);
} ProducerCallbacks;

typedef struct _Producer Producer;

/* Builds the producer, waits (bounded) for its first frame and starts it.
 * A failure to decode is reported through callbacks->failed; NULL is only
 * returned when the pipeline cannot be built. *caps receives the negotiated
 * raw caps, or NULL when they are not known yet. Call from any thread. */
Producer *producer_start (const ProducerConfig * config, GstElement * appsrc,
    const ProducerCallbacks * callbacks, gpointer user_data, GstCaps ** caps,
    GError ** error);

/* Stops the producer and drops the caller's reference. Any thread. */
void producer_release (Producer * producer);

#endif /* RTSP_HELPER_PRODUCER_H */
