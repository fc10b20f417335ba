#include "viewer/transport-policy.h"

/* Clients that ignore RTCP-Interval and TWCC and report over UDP only every
 * few seconds (measured, docs/controller.md): FFmpeg (ffplay, "Lavf" and
 * its version) about once per 280 kB received, live555 (VLC, openRTSP)
 * every 5 s. Both retry the SETUP over interleaved TCP on 461. */
static const gchar *const slow_reporters[] = { "Lavf", "LibVLC", "LIVE555" };

static gboolean
reports_slowly (GstRTSPMessage * request)
{
  gchar *agent = NULL;

  if (gst_rtsp_message_get_header (request, GST_RTSP_HDR_USER_AGENT, &agent,
          0) != GST_RTSP_OK)
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (slow_reporters); i++)
    if (strstr (agent, slow_reporters[i]) != NULL)
      return TRUE;
  return FALSE;
}

/* gst-rtsp-server takes the first offer it supports: only TCP interleaved
 * offers are never UDP. */
static gboolean
offers_udp_first (GstRTSPMessage * request)
{
  GstRTSPTransport *transport = NULL;
  gchar *value = NULL;
  gchar **offers;
  gboolean udp = FALSE;

  if (gst_rtsp_message_get_header (request, GST_RTSP_HDR_TRANSPORT, &value,
          0) != GST_RTSP_OK || gst_rtsp_transport_new (&transport)
      != GST_RTSP_OK)
    return FALSE;
  offers = g_strsplit (value, ",", 2);
  if (offers[0] != NULL
      && gst_rtsp_transport_parse (offers[0], transport) == GST_RTSP_OK)
    udp = (transport->lower_transport & GST_RTSP_LOWER_TRANS_TCP) == 0;
  g_strfreev (offers);
  gst_rtsp_transport_free (transport);
  return udp;
}

const gchar *
transport_policy_refusal (TransportPolicy policy, GstRTSPMessage * request)
{
  switch (policy) {
    case TRANSPORT_POLICY_UDP:
      return NULL;
    case TRANSPORT_POLICY_TCP:
      return offers_udp_first (request) ? "udp_refused" : NULL;
    case TRANSPORT_POLICY_AUTO:
      return offers_udp_first (request) && reports_slowly (request) ?
          "slow_feedback_over_udp" : NULL;
  }
  return NULL;
}
