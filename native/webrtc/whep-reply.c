#include "webrtc/whep-reply.h"

void
whep_reply_answer (Protocol * protocol, const gchar * token, guint client_id,
    const gchar * sdp)
{
  Record *record = record_new ("whep");

  record_add_string (record, "event", "answer");
  record_add_string (record, "session", token);
  record_add_int (record, "client_id", client_id);
  record_add_string (record, "sdp", sdp);
  record_emit (protocol, record);
}

void
whep_reply_refused (Protocol * protocol, const gchar * token, guint status,
    const gchar * reason, const gchar * message)
{
  Record *record = record_new ("whep");

  record_add_string (record, "event", "refused");
  record_add_string (record, "session", token);
  record_add_int (record, "status", status);
  record_add_string (record, "reason", reason);
  record_add_string (record, "message", message);
  record_emit (protocol, record);
}
