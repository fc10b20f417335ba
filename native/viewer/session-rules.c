#include "viewer/session-rules.h"

/* RFC 2326 10.12: interleaved channels are one octet. */
#define MAX_CHANNEL 255

/* The offer gst-rtsp-server will take (its parse_transport()): the first
 * that parses and that the stream supports. NULL when none does: it then
 * answers 461 itself. */
static GstRTSPTransport *
chosen_offer (GstRTSPContext * ctx)
{
  GstRTSPTransport *transport = NULL;
  gchar *value = NULL;
  gchar **offers;

  if (gst_rtsp_message_get_header (ctx->request, GST_RTSP_HDR_TRANSPORT,
          &value, 0) != GST_RTSP_OK)
    return NULL;
  offers = g_strsplit (value, ",", 0);
  for (gchar ** offer = offers; *offer != NULL && transport == NULL; offer++) {
    GstRTSPTransport *candidate = NULL;

    if (gst_rtsp_transport_new (&candidate) != GST_RTSP_OK)
      break;
    if (gst_rtsp_transport_parse (g_strstrip (*offer), candidate)
        == GST_RTSP_OK
        && gst_rtsp_stream_is_transport_supported (ctx->stream, candidate))
      transport = g_steal_pointer (&candidate);
    else
      gst_rtsp_transport_free (candidate);
  }
  g_strfreev (offers);
  return transport;
}

static gboolean
is_tcp (const GstRTSPTransport * transport)
{
  return (transport->lower_transport & GST_RTSP_LOWER_TRANS_TCP) != 0;
}

/* Channels the client named: both ends, else gst-rtsp-server picks. */
static gboolean
names_channels (const GstRTSPTransport * transport)
{
  return transport->interleaved.min != -1 && transport->interleaved.max != -1;
}

static gboolean
channels_are_valid (const GstRTSPTransport * transport)
{
  return !names_channels (transport) || (transport->interleaved.min >= 0
      && transport->interleaved.max == transport->interleaved.min + 1
      && transport->interleaved.max <= MAX_CHANNEL);
}

/* The same transport as before, or one that leaves it as it is. */
static gboolean
keeps_transport (const GstRTSPTransport * old, const GstRTSPTransport * offer)
{
  if (old->lower_transport != offer->lower_transport)
    return FALSE;
  if (is_tcp (offer))
    return !names_channels (offer)
        || (offer->interleaved.min == old->interleaved.min
        && offer->interleaved.max == old->interleaved.max);
  return offer->client_port.min == old->client_port.min
      && offer->client_port.max == old->client_port.max;
}

static GstRTSPStatusCode
check_against_session (GstRTSPContext * ctx, const GstRTSPTransport * offer,
    const gchar ** reason)
{
  GList *medias = gst_rtsp_session_filter (ctx->session, NULL, NULL);
  GstRTSPStatusCode status = GST_RTSP_STS_OK;

  for (GList * walk = medias; walk != NULL && status == GST_RTSP_STS_OK;
      walk = walk->next) {
    GstRTSPSessionMedia *sessmedia = walk->data;
    GstRTSPStreamTransport *existing;

    if (gst_rtsp_session_media_get_media (sessmedia) != ctx->media) {
      *reason = "aggregate_not_allowed";
      status = GST_RTSP_STS_AGGREGATE_OPERATION_NOT_ALLOWED;
      continue;
    }
    existing = gst_rtsp_session_media_get_transport (sessmedia,
        gst_rtsp_stream_get_index (ctx->stream));
    if (existing == NULL)
      continue;
    status = GST_RTSP_STS_METHOD_NOT_VALID_IN_THIS_STATE;
    if (!keeps_transport (gst_rtsp_stream_transport_get_transport (existing),
            offer))
      *reason = "transport_changed";
    else if (gst_rtsp_session_media_get_rtsp_state (sessmedia)
        == GST_RTSP_STATE_PLAYING)
      *reason = "setup_while_playing";
    else
      status = GST_RTSP_STS_OK;
  }
  g_list_free_full (medias, g_object_unref);
  return status;
}

GstRTSPStatusCode
session_rules_check_setup (GstRTSPContext * ctx, const gchar ** reason)
{
  GstRTSPTransport *offer;
  GstRTSPStatusCode status = GST_RTSP_STS_OK;

  if (ctx->request == NULL || ctx->stream == NULL || ctx->media == NULL)
    return GST_RTSP_STS_OK;
  offer = chosen_offer (ctx);
  if (offer == NULL)
    return GST_RTSP_STS_OK;
  if (is_tcp (offer) && !channels_are_valid (offer)) {
    *reason = "bad_interleaved";
    status = GST_RTSP_STS_UNSUPPORTED_TRANSPORT;
  } else if (ctx->session != NULL) {
    status = check_against_session (ctx, offer, reason);
  }
  gst_rtsp_transport_free (offer);
  return status;
}
