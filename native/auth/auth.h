/* RTSP authentication of viewers, when credentials were given. */
#ifndef RTSP_HELPER_AUTH_H
#define RTSP_HELPER_AUTH_H

#include <gst/rtsp-server/rtsp-server.h>

#include "auth/credentials.h"

/* Shared with the supervisor's front door, so that a client that has
 * authenticated there can answer the helper's challenge the same way. */
#define AUTH_REALM "abr-rtsp-server"

/* DESCRIBE and SETUP need these credentials (Digest, and Basic when they
 * say so); others get 401 with a challenge. NULL without a user. */
GstRTSPAuth *helper_auth_new (const Credentials * credentials);
/* A mount anyone may reach, to be challenged, and only viewers with the
 * credentials may start. */
void helper_auth_protect (GstRTSPMediaFactory * factory);

#endif /* RTSP_HELPER_AUTH_H */
