/* The helper's one decode of its file (and its audio), shared by every encoder of every
 * mount it serves: started by the first encoder that needs frames, stopped
 * with the last one. */
#ifndef RTSP_HELPER_SOURCE_H
#define RTSP_HELPER_SOURCE_H

#include "link/protocol.h"
#include "source/producer.h"

typedef struct _Source Source;

/* The producer has failed after feeding viewers: they must go (called on
 * the main thread). */
typedef void (*SourceLost) (gpointer user_data);

/* How a live source is pulled. */
typedef struct
{
  guint linger_s;               /* kept after its last viewer left */
  gboolean always_on;           /* pulled from the start, never let go */
} LiveSettings;

/* Decodes config->file (or pulls config->uri), scaled, when an encoder
 * needs frames. A live source emits `source` records (its state, once per
 * change) and `source_stats` (every second while pulled). */
Source *source_new (const ProducerConfig * config, const LiveSettings * live,
    Protocol * protocol, SourceLost lost, gpointer user_data);
/* Each mount holds a reference: a media may end on its own thread after
 * the helper has dropped its mounts. */
Source *source_ref (Source * source);
void source_unref (Source * source);

/* Feeds appsrc (and audio_appsrc, unless NULL) from the running producer,
 * or from a new one when there is none or it failed. Returns a reference to the producer, and in *caps a
 * reference to its raw caps when known (else NULL); NULL when no producer
 * could be built. Blocks while a producer starts (its preroll). Any
 * thread. */
Producer *source_subscribe (Source * source, GstElement * appsrc,
    GstElement * audio_appsrc, GstCaps ** caps, GError ** error);
/* Stops feeding appsrc and audio_appsrc and drops the reference; the
 * producer stops with its last appsrc. Any thread. */
void source_unsubscribe (Source * source, Producer * producer,
    GstElement * appsrc, GstElement * audio_appsrc);
/* --always-on: pulls the live source now, watched or not. */
gboolean source_keep_on (Source * source, GError ** error);

#endif /* RTSP_HELPER_SOURCE_H */
