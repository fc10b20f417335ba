/* The viewers' receiver reports: `rtcp` records. */
#ifndef RTSP_HELPER_MEASURE_REPORTS_H
#define RTSP_HELPER_MEASURE_REPORTS_H

#include "app.h"

typedef struct _MeasureReports MeasureReports;

MeasureReports *measure_reports_new (App * app);
void measure_reports_free (MeasureReports * reports);
/* Emits an `rtcp` record for each viewer whose report changed since the
 * last poll. Main thread only. */
void measure_reports_poll (MeasureReports * reports, GObject * session);

#endif /* RTSP_HELPER_MEASURE_REPORTS_H */
