/* The `whep` records that answer a `whep-offer` (docs/protocol.md): the
 * SDP answer, or the refusal with the HTTP status the supervisor gives. */
#ifndef RTSP_HELPER_WHEP_REPLY_H
#define RTSP_HELPER_WHEP_REPLY_H

#include "link/protocol.h"

void whep_reply_answer (Protocol * protocol, const gchar * token,
    guint client_id, const gchar * sdp);
void whep_reply_refused (Protocol * protocol, const gchar * token,
    guint status, const gchar * reason, const gchar * message);

#endif /* RTSP_HELPER_WHEP_REPLY_H */
