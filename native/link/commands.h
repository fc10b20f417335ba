/* Commands read from stdin, one per line, see docs/protocol.md. */
#ifndef RTSP_HELPER_COMMANDS_H
#define RTSP_HELPER_COMMANDS_H

#include "main/app.h"

/* Watches stdin on the default main context. EOF or a read error stops the
 * helper (bye reason `eof`). */
gboolean commands_watch_stdin (App * app, GError ** error);
void commands_unwatch_stdin (App * app);

#endif /* RTSP_HELPER_COMMANDS_H */
