#include "viewer/request-checks.h"

/* RFC 2326 12.17: CSeq is 1*DIGIT. Nine digits keep it within a guint32. */
#define MAX_CSEQ_DIGITS 9
#define MAX_LENGTH_DIGITS 9
#define MAX_HEADERS 64
/* gst-rtsp-server keeps the first 4095 bytes of a header line and drops
 * the rest unseen: a value this long may have been cut. */
#define MAX_HEADER_VALUE_BYTES 4000

/* 1*DIGIT, at most max_digits of them. */
static gboolean
is_number (const gchar * value, gsize max_digits)
{
  gsize length = strlen (value);

  if (length == 0 || length > max_digits)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isdigit (value[i]))
      return FALSE;
  return TRUE;
}

/* The header's one value, or NULL when it is absent or repeated. */
static const gchar *
only_value (GstRTSPMessage * request, GstRTSPHeaderField field)
{
  gchar *value = NULL;

  if (gst_rtsp_message_get_header (request, field, &value, 0) != GST_RTSP_OK
      || gst_rtsp_message_get_header (request, field, NULL, 1) == GST_RTSP_OK)
    return NULL;
  return value;
}

const gchar *
request_check_cseq (GstRTSPMessage * request)
{
  const gchar *cseq = only_value (request, GST_RTSP_HDR_CSEQ);

  return cseq != NULL && is_number (cseq, MAX_CSEQ_DIGITS) ? NULL : "bad_cseq";
}

/* gst-rtsp-server reads a Content-Length of "0x10" or "16abc" as a number
 * and takes the rest for the next request: the connection is out of step
 * with the client. Only one 1*DIGIT value keeps them together. */
static gboolean
content_length_is_valid (GstRTSPMessage * request)
{
  const gchar *length;

  if (gst_rtsp_message_get_header (request, GST_RTSP_HDR_CONTENT_LENGTH,
          NULL, 0) != GST_RTSP_OK)
    return TRUE;
  length = only_value (request, GST_RTSP_HDR_CONTENT_LENGTH);
  return length != NULL && is_number (length, MAX_LENGTH_DIGITS);
}

const gchar *
request_check_headers (GstRTSPMessage * request)
{
  if (request->hdr_fields->len > MAX_HEADERS)
    return "too_many_headers";
  if (!content_length_is_valid (request))
    return "bad_content_length";
  /* Field 0 (GST_RTSP_HDR_INVALID) holds the headers it has no name for. */
  for (gint field = 0; field < GST_RTSP_HDR_LAST; field++) {
    gchar *value;

    for (gint index = 0; gst_rtsp_message_get_header (request, field, &value,
            index) == GST_RTSP_OK; index++)
      if (strlen (value) >= MAX_HEADER_VALUE_BYTES)
        return "header_too_long";
  }
  return NULL;
}

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
    valid = transport->client_port.min > 0
        && transport->client_port.max >= transport->client_port.min
        && transport->client_port.max <= G_MAXUINT16;
  gst_rtsp_transport_free (transport);
  return valid;
}

const gchar *
request_check_transports (GstRTSPMessage * request)
{
  gchar *value = NULL;
  gchar **offers;
  gboolean valid = TRUE;

  /* Without one, gst-rtsp-server answers 461 itself. */
  if (gst_rtsp_message_get_header (request, GST_RTSP_HDR_TRANSPORT, &value,
          0) != GST_RTSP_OK)
    return NULL;
  offers = g_strsplit (value, ",", 0);
  for (gchar ** offer = offers; *offer != NULL && valid; offer++)
    valid = transport_is_valid (*offer);
  g_strfreev (offers);
  return valid ? NULL : "bad_transport";
}
