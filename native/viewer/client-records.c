#include "viewer/client-records.h"

Record *
client_records_new (App * app, const gchar * event, ClientInfo * info)
{
  Record *record = record_new ("client");

  record_add_string (record, "event", event);
  client_info_add_to_record (info, record);
  g_mutex_lock (&app->lock);
  if (info->transport != NULL)
    record_add_string (record, "transport", info->transport);
  if (info->encoder != 0) {
    record_add_string (record, "mount", info->mount);
    record_add_int (record, "encoder", info->encoder);
  }
  g_mutex_unlock (&app->lock);
  return record;
}

void
client_records_emit (App * app, const gchar * event, ClientInfo * info)
{
  record_emit (&app->protocol, client_records_new (app, event, info));
}

void
client_records_stop_playing (App * app, ClientInfo * info)
{
  g_mutex_lock (&app->lock);
  info->playing = FALSE;
  g_mutex_unlock (&app->lock);
}
