#include "requests.h"

/* RFC 2326 12.17: CSeq is 1*DIGIT. Nine digits keep it within a guint32. */
#define MAX_CSEQ_DIGITS 9

static gboolean
cseq_is_valid (GstRTSPMessage * request)
{
  gchar *value = NULL;
  gsize length;

  if (request == NULL
      || gst_rtsp_message_get_header (request, GST_RTSP_HDR_CSEQ, &value,
          0) != GST_RTSP_OK)
    return FALSE;
  if (gst_rtsp_message_get_header (request, GST_RTSP_HDR_CSEQ, NULL,
          1) == GST_RTSP_OK)
    return FALSE;
  length = strlen (value);
  if (length == 0 || length > MAX_CSEQ_DIGITS)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isdigit (value[i]))
      return FALSE;
  return TRUE;
}

/* gst-rtsp-server accepts a UDP client_port of 0 (answering 200 with
 * client_port=0) and would send RTP to port 0. Every transport offered must
 * parse, and a UDP one name two nonzero ports, or none is taken. */
static gboolean
transport_is_valid (const gchar * text)
{
  GstRTSPTransport *transport = NULL;
  gboolean valid;

  if (gst_rtsp_transport_new (&transport) != GST_RTSP_OK)
    return FALSE;
  valid = gst_rtsp_transport_parse (text, transport) == GST_RTSP_OK;
  if (valid && transport->lower_transport == GST_RTSP_LOWER_TRANS_UDP
      && !(transport->lower_transport & GST_RTSP_LOWER_TRANS_UDP_MCAST))
    valid = transport->client_port.min > 0 && transport->client_port.max > 0;
  gst_rtsp_transport_free (transport);
  return valid;
}

static gboolean
transports_are_valid (GstRTSPMessage * request)
{
  gchar *value = NULL;
  gchar **offers;
  gboolean valid = TRUE;

  if (gst_rtsp_message_get_header (request, GST_RTSP_HDR_TRANSPORT, &value,
          0) != GST_RTSP_OK)
    return TRUE;                /* the server answers 461 itself */
  offers = g_strsplit (value, ",", 0);
  for (gchar ** offer = offers; *offer != NULL && valid; offer++)
    valid = transport_is_valid (*offer);
  g_strfreev (offers);
  return valid;
}

static GstRTSPStatusCode
on_pre_setup_request (GstRTSPClient * client G_GNUC_UNUSED,
    GstRTSPContext * ctx, gpointer user_data G_GNUC_UNUSED)
{
  return transports_are_valid (ctx->request) ? GST_RTSP_STS_OK
      : GST_RTSP_STS_UNSUPPORTED_TRANSPORT;
}

/* Client thread. A status other than OK is sent instead of the handler's. */
static GstRTSPStatusCode
on_pre_request (GstRTSPClient * client G_GNUC_UNUSED, GstRTSPContext * ctx,
    gpointer user_data G_GNUC_UNUSED)
{
  return cseq_is_valid (ctx->request) ? GST_RTSP_STS_OK
      : GST_RTSP_STS_BAD_REQUEST;
}

void
requests_watch_client (GstRTSPClient * client)
{
  /* Not "pre-options-request": gst-rtsp-server 1.22 frees the response, a
   * variable on the client thread's stack, when that signal fails (abort:
   * "double free or corruption"). OPTIONS changes nothing, so a bad CSeq
   * there still gets its 200. */
  static const gchar *const signals[] = {
    "pre-describe-request", "pre-setup-request",
    "pre-play-request", "pre-pause-request", "pre-teardown-request",
    "pre-get-parameter-request", "pre-set-parameter-request",
    "pre-announce-request", "pre-record-request",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (signals); i++)
    g_signal_connect (client, signals[i], G_CALLBACK (on_pre_request), NULL);
  g_signal_connect (client, "pre-setup-request",
      G_CALLBACK (on_pre_setup_request), NULL);
}
