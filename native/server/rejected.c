#include "server/rejected.h"

/* "Not Enough Bandwidth" -> "not_enough_bandwidth". */
static gchar *
reason_of_status (GstRTSPStatusCode status)
{
  const gchar *text = gst_rtsp_status_as_text (status);
  gchar *reason;

  if (text == NULL)
    return g_strdup_printf ("status_%d", status);
  reason = g_ascii_strdown (text, -1);
  g_strcanon (reason, "abcdefghijklmnopqrstuvwxyz0123456789", '_');
  return reason;
}

void
rejected_emit (App * app, ClientInfo * info, const gchar * reason,
    GstRTSPStatusCode status, const gchar * method, const gchar * mount)
{
  Record *record = record_new ("rejected");
  gchar *status_reason = NULL;

  if (reason == NULL)
    reason = status_reason = reason_of_status (status);
  client_info_add_to_record (info, record);
  record_add_string (record, "reason", reason);
  if (status != 0)
    record_add_int (record, "status", status);
  if (method != NULL)
    record_add_string (record, "method", method);
  if (mount != NULL)
    record_add_string (record, "mount", mount);
  record_emit (&app->protocol, record);
  g_free (status_reason);
}
