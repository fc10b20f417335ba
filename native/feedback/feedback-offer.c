#include "feedback/feedback-offer.h"

#include <gst/sdp/sdp.h>

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

    /* Only the video's packets carry the extension: the audio is not
     * what the bitrate follows. */
    if (g_strcmp0 (gst_sdp_media_get_media (media), "video") == 0)
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

void
feedback_offer_adjust (GstRTSPMessage * response, GstRTSPContext * ctx)
{
  GstRTSPMethod method;
  GstRTSPStatusCode status;

  if (ctx->request == NULL
      || gst_rtsp_message_get_type (response) != GST_RTSP_MESSAGE_RESPONSE
      || gst_rtsp_message_parse_response (response, &status, NULL, NULL)
      != GST_RTSP_OK || status != GST_RTSP_STS_OK
      || gst_rtsp_message_parse_request (ctx->request, &method, NULL, NULL)
      != GST_RTSP_OK)
    return;
  if (method == GST_RTSP_PLAY)
    gst_rtsp_message_add_header (response, GST_RTSP_HDR_RTCP_INTERVAL,
        G_STRINGIFY (RTCP_INTERVAL_MS));
  else if (method == GST_RTSP_DESCRIBE)
    offer_twcc (response);
}
