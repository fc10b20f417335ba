/* The helper's command line (and its credentials, from the environment). */
#ifndef RTSP_HELPER_OPTIONS_H
#define RTSP_HELPER_OPTIONS_H

#include "app.h"

/* Credentials as "user:password": in the environment, not on the command
 * line, where every local user could read them in /proc. Empty or unset:
 * no authentication. */
#define AUTH_ENV "RTSP_HELPER_AUTH"
/* 64 hex digits: the key shared with the front door for Digest nonces;
 * without it a random one. */
#define AUTH_KEY_ENV "RTSP_HELPER_AUTH_KEY"

/* Fills app->config. On a bad command line, emits a `usage` error record
 * and returns FALSE. */
gboolean options_parse (App * app, gint * argc, gchar *** argv);
void options_clear (HelperConfig * config);

#endif /* RTSP_HELPER_OPTIONS_H */
