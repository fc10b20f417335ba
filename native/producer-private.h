/* Shared by producer.c (pipeline and bus) and producer-loop.c (looping). */
#ifndef RTSP_HELPER_PRODUCER_PRIVATE_H
#define RTSP_HELPER_PRODUCER_PRIVATE_H

#include "producer.h"

struct _Producer
{
  gint ref_count;
  gint stopped;                 /* atomic */
  GstElement *pipeline;
  GstElement *appsrc;           /* the media's source, fed by us */
  GSource *bus_watch;           /* holds a reference to the producer */
  ProducerCallbacks callbacks;
  gpointer user_data;
  gchar *file;
  guint loops;                  /* main thread only */
  /* Streaming thread only: the segment of the frames reaching the queue and
   * the running time at which the last of them ends. */
  GstSegment segment;
  GstClockTime end_time;
};

/* producer.c. Stops the producer and makes the media fail too. */
void producer_fail (Producer * producer, const GError * error,
    const gchar * debug);

/* producer-loop.c. Resets the loop state and rebases each loop's segment at
 * the sink pad of queue. */
void producer_loop_attach (Producer * producer, GstElement * queue);
/* Seeks to the start with a segment seek. */
gboolean producer_seek_to_start (Producer * producer, gboolean flush);
/* Main thread: starts the next loop, or fails the producer. */
void producer_loop (Producer * producer, gboolean flush);

#endif /* RTSP_HELPER_PRODUCER_PRIVATE_H */
