#include "feedback/feedback-offer.h"

#include <gst/sdp/sdp.h>

#include "mount/mounts.h"
#include "feedback/twcc-extension.h"

static void
offer_twcc (GstRTSPMessage * response)
{
  guint8 *body = NULL;
  guint size = 0;
  GstSDPMessage *sdp = NULL;
  gchar *text, *attribute;

  if (gst_rtsp_message_get_body (response, &body, &size) != GST_RTSP_OK
      || size == 0 || gst_sdp_message_new (&sdp) != GST_SDP_OK)
    return;
  if (gst_sdp_message_parse_buffer (body, size, sdp) != GST_SDP_OK)
    goto done;
  attribute = g_strdup_printf ("%d %s", TWCC_EXTMAP_ID, TWCC_URI);
  for (guint i = 0; i < gst_sdp_message_medias_len (sdp); i++) {
    GstSDPMedia *media = (GstSDPMedia *) gst_sdp_message_get_media (sdp, i);

    gst_sdp_media_add_attribute (media, "extmap", attribute);
    gst_sdp_media_add_bandwidth (media, GST_SDP_BWTYPE_RS, RTCP_BANDWIDTH_BPS);
    gst_sdp_media_add_bandwidth (media, GST_SDP_BWTYPE_RR, RTCP_BANDWIDTH_BPS);
  }
  g_free (attribute);
  text = gst_sdp_message_as_text (sdp);
  /* The connection writes Content-Length from the new body. */
  gst_rtsp_message_take_body (response, (guint8 *) text, strlen (text));
done:
  gst_sdp_message_free (sdp);
}

/* Client thread, for every message sent, before it is written: answers
 * about an adaptive mount ask for fast feedback. */
static void
on_send_message (GstRTSPClient * client G_GNUC_UNUSED, GstRTSPContext * ctx,
    GstRTSPMessage * message, gpointer user_data)
{
  App *app = user_data;
  MountFactory *mount = mounts_of_request (app->mounts, ctx);
  GstRTSPMethod method;
  GstRTSPStatusCode status;

  if (mount == NULL || !mount_factory_is_adaptive (mount) || ctx->request == NULL
      || gst_rtsp_message_get_type (message) != GST_RTSP_MESSAGE_RESPONSE
      || gst_rtsp_message_parse_response (message, &status, NULL, NULL)
      != GST_RTSP_OK || status != GST_RTSP_STS_OK
      || gst_rtsp_message_parse_request (ctx->request, &method, NULL, NULL)
      != GST_RTSP_OK)
    return;
  if (method == GST_RTSP_PLAY)
    gst_rtsp_message_add_header (message, GST_RTSP_HDR_RTCP_INTERVAL,
        G_STRINGIFY (RTCP_INTERVAL_MS));
  else if (method == GST_RTSP_DESCRIBE)
    offer_twcc (message);
}

void
feedback_offer_watch_client (App * app, GstRTSPClient * client)
{
  if (app->config.adaptive || app->config.adaptive_mount != NULL)
    g_signal_connect (client, "send-message", G_CALLBACK (on_send_message),
        app);
}
