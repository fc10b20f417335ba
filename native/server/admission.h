/* Who may connect: the helper accepts RTSP connections itself, on the main
 * loop, so that one over --max-connections is closed before gst-rtsp-server
 * makes a client of it. */
#ifndef RTSP_HELPER_ADMISSION_H
#define RTSP_HELPER_ADMISSION_H

#include "main/app.h"

/* Listens on app->server's address. Beyond --max-connections a new
 * connection closes the oldest open one without a session (preferably one
 * with no answer yet), else it is itself closed at once (a `rejected`
 * record each); while 64 closed connections still hold their sockets, new
 * ones wait in the listen backlog. */
gboolean admission_listen (App * app, GError ** error);
void admission_unlisten (App * app);

#endif /* RTSP_HELPER_ADMISSION_H */
