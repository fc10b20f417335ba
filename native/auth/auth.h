/* RTSP authentication of viewers, when credentials were given. */
#ifndef RTSP_HELPER_AUTH_H
#define RTSP_HELPER_AUTH_H

#include "main/app.h"

/* Shared with the supervisor's front door, so that a client that has
 * authenticated there can answer the helper's challenge the same way. */
#define AUTH_REALM "abr-rtsp-server"

/* With app->config.auth_user set: DESCRIBE and SETUP need Digest (and
 * Basic with --auth-basic) credentials, others get 401 with a challenge.
 * Call after the mounts are made, before the server listens. */
void auth_configure (App * app);

#endif /* RTSP_HELPER_AUTH_H */
