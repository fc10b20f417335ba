/* `client` records, and the state a record reports: shared by clients.c
 * (connections) and sessions.c (sessions that time out). */
#ifndef RTSP_HELPER_CLIENT_RECORDS_H
#define RTSP_HELPER_CLIENT_RECORDS_H

#include "main/app.h"
#include "viewer/client-info.h"

/* A `client` record of this event, to add to and emit. Any thread,
 * without app->lock. */
Record *client_records_new (App * app, const gchar * event,
    ClientInfo * info);
/* Emits one. */
void client_records_emit (App * app, const gchar * event, ClientInfo * info);
/* The viewer no longer plays (it left, or its session ended). */
void client_records_stop_playing (App * app, ClientInfo * info);

#endif /* RTSP_HELPER_CLIENT_RECORDS_H */
