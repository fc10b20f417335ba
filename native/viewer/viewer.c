#include "viewer/viewer.h"

G_DEFINE_INTERFACE (Viewer, viewer, G_TYPE_OBJECT);

static void
viewer_default_init (ViewerInterface * iface G_GNUC_UNUSED)
{
}

guint
viewer_id (Viewer * self)
{
  return HELPER_VIEWER_GET_IFACE (self)->id (self);
}

void
viewer_add_to_record (Viewer * self, Record * record)
{
  HELPER_VIEWER_GET_IFACE (self)->add_to_record (self, record);
}

gboolean
viewer_sends_rtcp_from (Viewer * self, const gchar * address, guint port)
{
  return HELPER_VIEWER_GET_IFACE (self)->sends_rtcp_from (self, address, port);
}

ViewerRtcp
viewer_take_rtcp (Viewer * self, gsize bytes, gint64 now_us)
{
  return HELPER_VIEWER_GET_IFACE (self)->take_rtcp (self, bytes, now_us);
}

gboolean
viewer_play (Viewer * self, ViewerPlay * play)
{
  return HELPER_VIEWER_GET_IFACE (self)->play (self, play);
}

void
viewer_pace (Viewer * self, guint encoder, guint bitrate_kbps)
{
  HELPER_VIEWER_GET_IFACE (self)->pace (self, encoder, bitrate_kbps);
}

void
viewer_disconnect (Viewer * self)
{
  HELPER_VIEWER_GET_IFACE (self)->disconnect (self);
}
