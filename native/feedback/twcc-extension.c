#include "feedback/twcc-extension.h"

#include <gst/rtp/rtp.h>

/* rtpsession would take the extension over when the caps name it: it
 * renumbers the packets with its own counter and keeps every packet sent
 * until feedback about it arrives (never, with FFmpeg or VLC viewers:
 * memory without bound). It sees the caps without it; the SDP gets it in
 * feedback-offer.c. */
static GstPadProbeReturn
hide_extension (GstPad * pad G_GNUC_UNUSED, GstPadProbeInfo * info,
    gpointer user_data)
{
  const gchar *field = user_data;
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  GstCaps *caps;

  if (GST_EVENT_TYPE (event) != GST_EVENT_CAPS)
    return GST_PAD_PROBE_OK;
  gst_event_parse_caps (event, &caps);
  if (gst_caps_is_empty (caps) || !gst_structure_has_field
      (gst_caps_get_structure (caps, 0), field))
    return GST_PAD_PROBE_OK;

  caps = gst_caps_copy (caps);
  gst_structure_remove_field (gst_caps_get_structure (caps, 0), field);
  GST_PAD_PROBE_INFO_DATA (info) = gst_event_new_caps (caps);
  gst_caps_unref (caps);
  gst_event_unref (event);
  return GST_PAD_PROBE_OK;
}

gboolean
twcc_extension_add (GstElement * pay, guint id, GError ** error)
{
  GstRTPHeaderExtension *extension;
  GstPad *src;

  extension = gst_rtp_header_extension_create_from_uri (TWCC_URI);
  if (extension == NULL)
    goto no_extension;
  src = gst_element_get_static_pad (pay, "src");
  if (src == NULL)
    goto no_pad;

  gst_rtp_header_extension_set_id (extension, id);
  g_signal_emit_by_name (pay, "add-extension", extension);
  gst_pad_add_probe (src, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      hide_extension, g_strdup_printf ("extmap-%u", id), g_free);
  gst_object_unref (src);
  gst_object_unref (extension);
  return TRUE;

  /* ERRORS */
no_extension:
  {
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN,
        "no RTP header extension for %s (rtphdrexttwcc, gst-plugins-good)",
        TWCC_URI);
    return FALSE;
  }
no_pad:
  {
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_PAD,
        "the payloader has no src pad");
    gst_object_unref (extension);
    return FALSE;
  }
}
