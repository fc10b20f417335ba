/* Commands read from stdin, one per line, see docs/protocol.md: `bitrate`
 * and `quit` go to whoever made the reader, `memory` it answers itself. */
#ifndef RTSP_HELPER_COMMANDS_H
#define RTSP_HELPER_COMMANDS_H

#include "link/protocol.h"

typedef struct
{
  /* `bitrate KBPS [ENCODER]` (encoder 0: every encoder, and those to
   * come); FALSE when there is no such encoder. */
  gboolean (*set_bitrate) (guint encoder, guint kbps, gpointer user_data);
  /* `whep-offer TOKEN MOUNT ADDRESS SDP [USER_AGENT]`: a browser's offer
   * (SDP and user agent sent in base64, decoded here). */
  void (*whep_offer) (const gchar * token, const gchar * mount,
      const gchar * address, const gchar * user_agent, const gchar * sdp,
      gsize size, gpointer user_data);
  /* `whep-close TOKEN`; FALSE when there is no such session. */
  gboolean (*whep_close) (const gchar * token, gpointer user_data);
  /* `quit`, and EOF on stdin (`eof`: the supervisor is gone). */
  void (*quit) (const gchar * reason, gpointer user_data);
} CommandHandlers;

typedef struct _Commands Commands;

/* Reads stdin on the default main context. EOF or a read error quits. */
Commands *commands_new (Protocol * protocol, const CommandHandlers * handlers,
    gpointer user_data, GError ** error);
void commands_free (Commands * commands);

#endif /* RTSP_HELPER_COMMANDS_H */
