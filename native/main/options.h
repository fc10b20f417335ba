/* The helper's command line, and its credentials from the environment
 * (credentials.h). */
#ifndef RTSP_HELPER_OPTIONS_H
#define RTSP_HELPER_OPTIONS_H

#include "main/app.h"

/* Fills app->config. On a bad command line, emits a `usage` error record
 * and returns FALSE. */
gboolean options_parse (App * app, gint * argc, gchar *** argv);
void options_clear (HelperConfig * config);

#endif /* RTSP_HELPER_OPTIONS_H */
