/* `rejected` records: a request answered with an error status, or a
 * connection the helper closed, and why. */
#ifndef RTSP_HELPER_REJECTED_H
#define RTSP_HELPER_REJECTED_H

#include "main/app.h"
#include "viewer/client-info.h"

/* `reason` is snake_case (e.g. "idle_timeout"); NULL names it after the
 * status ("not_found" for 404). `status` 0: closed without an answer.
 * `method`, and `mount` (the mount the request was for), may be NULL. Any
 * thread. */
void rejected_emit (App * app, ClientInfo * info, const gchar * reason,
    GstRTSPStatusCode status, const gchar * method, const gchar * mount);

#endif /* RTSP_HELPER_REJECTED_H */
