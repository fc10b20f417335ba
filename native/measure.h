/* A media's measurements: `frame`, `stats` and `rtcp` records. */
#ifndef RTSP_HELPER_MEASURE_H
#define RTSP_HELPER_MEASURE_H

#include "app.h"

typedef struct _Measure Measure;

/* Probes enc and pay0, and emits `stats` every second. Any thread. */
Measure *measure_start (App * app, GstElement * enc, GstElement * pay);
/* Polls the viewers' receiver reports in the media's RTP session. */
void measure_watch_session (Measure * measure, GObject * session);
/* Removes the probes and timers and drops the caller's reference. */
void measure_stop (Measure * measure);

#endif /* RTSP_HELPER_MEASURE_H */
