#include "server/requests.h"

#include "link/crash-report.h"
#include "server/guard.h"
#include "mount/mounts.h"
#include "server/rejected.h"
#include "viewer/session-rules.h"
#include "viewer/transport-policy.h"

/* RFC 2326 12.17: CSeq is 1*DIGIT. Nine digits keep it within a guint32. */
#define MAX_CSEQ_DIGITS 9
#define MAX_HEADERS 64
/* gst-rtsp-server keeps the first 4095 bytes of a header line and drops
 * the rest unseen: a value this long may have been cut. */
#define MAX_HEADER_VALUE_BYTES 4000

GstRTSPStatusCode
requests_refuse (ClientInfo * info, GstRTSPStatusCode status,
    const gchar * reason)
{
  if (info != NULL && status != GST_RTSP_STS_OK)
    info->rejection = reason;
  return status;
}

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

static gboolean
cseq_is_valid (GstRTSPMessage * request)
{
  gchar *value = NULL;

  if (gst_rtsp_message_get_header (request, GST_RTSP_HDR_CSEQ, &value,
          0) != GST_RTSP_OK)
    return FALSE;
  if (gst_rtsp_message_get_header (request, GST_RTSP_HDR_CSEQ, NULL,
          1) == GST_RTSP_OK)
    return FALSE;
  return is_number (value, MAX_CSEQ_DIGITS);
}

/* gst-rtsp-server reads a Content-Length of "0x10" or "16abc" as a number
 * and takes the rest for the next request: the connection is out of step
 * with the client. Only one 1*DIGIT value keeps them together. */
static gboolean
content_length_is_valid (GstRTSPMessage * request)
{
  gchar *value = NULL;

  if (gst_rtsp_message_get_header (request, GST_RTSP_HDR_CONTENT_LENGTH,
          &value, 0) != GST_RTSP_OK)
    return TRUE;
  return gst_rtsp_message_get_header (request, GST_RTSP_HDR_CONTENT_LENGTH,
      NULL, 1) != GST_RTSP_OK && is_number (value, MAX_CSEQ_DIGITS);
}

/* Why the request's headers are refused, or NULL. */
static const gchar *
headers_problem (GstRTSPMessage * request)
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

/* gst-rtsp-server accepts a UDP client_port of 0 (answering 200 with
 * client_port=0) and would send RTP to port 0, and parses ports up to
 * G_MAXINT. Every transport offered must parse, and a UDP one name two
 * ports of 1..65535 in order, or none is taken. */
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

/* A session belongs to the connection that set it up. gst-rtsp-server
 * would let any connection that names it pause, play or tear it down, and
 * end it by closing. */
static gboolean
is_foreign (GstRTSPSession * session, ClientInfo * info)
{
  return g_object_get_data (G_OBJECT (session), CLIENT_INFO_KEY) != info;
}

static GstRTSPStatusCode
on_pre_setup_request (GstRTSPClient * client, GstRTSPContext * ctx,
    gpointer user_data)
{
  App *app = user_data;
  ClientInfo *info = g_object_get_data (G_OBJECT (client), CLIENT_INFO_KEY);
  MountFactory *mount;
  const gchar *refusal = NULL;
  GstRTSPStatusCode status;

  if (!transports_are_valid (ctx->request))
    return requests_refuse (info, GST_RTSP_STS_UNSUPPORTED_TRANSPORT,
        "bad_transport");
  status = session_rules_check_setup (ctx, &refusal);
  if (status != GST_RTSP_STS_OK)
    return requests_refuse (info, status, refusal);
  mount = mounts_of_request (app->mounts, ctx);
  /* Only an adaptive mount needs its viewers' fast feedback. */
  refusal = mount == NULL || !mount_factory_is_adaptive (mount) ? NULL :
      transport_policy_refusal (app->config.transport_policy, ctx->request);
  if (refusal != NULL)
    return requests_refuse (info, GST_RTSP_STS_UNSUPPORTED_TRANSPORT,
        refusal);
  return GST_RTSP_STS_OK;
}

/* Last of the pre-describe handlers: the media is looked up next (a SETUP
 * looks it up before its pre-setup signal, too early to wait there). */
static GstRTSPStatusCode
on_pre_describe_request (GstRTSPClient * client G_GNUC_UNUSED,
    GstRTSPContext * ctx, gpointer user_data)
{
  App *app = user_data;
  MountFactory *mount = mounts_of_request (app->mounts, ctx);

  if (mount != NULL)
    mount_factory_wait_gone (mount);
  return GST_RTSP_STS_OK;
}

/* Client thread, once a request is whole. A status other than OK is sent
 * instead of the handler's. */
static GstRTSPStatusCode
on_pre_request (GstRTSPClient * client, GstRTSPContext * ctx,
    gpointer user_data)
{
  ClientInfo *info = g_object_get_data (G_OBJECT (client), CLIENT_INFO_KEY);
  const gchar *problem;

  if (info != NULL) {
    guard_note_request (user_data, info);
    crash_report_note_request (info, ctx);
  }
  if (ctx->request == NULL || !cseq_is_valid (ctx->request))
    return requests_refuse (info, GST_RTSP_STS_BAD_REQUEST, "bad_cseq");
  problem = headers_problem (ctx->request);
  if (problem != NULL)
    return requests_refuse (info, GST_RTSP_STS_BAD_REQUEST, problem);
  if (ctx->session != NULL && is_foreign (ctx->session, info))
    return requests_refuse (info, GST_RTSP_STS_SESSION_NOT_FOUND,
        "foreign_session");
  return GST_RTSP_STS_OK;
}

/* gst-rtsp-server has already attached a named session to the connection
 * when the request is refused; detached, it stays its owner's alone. */
static GstRTSPFilterResult
detach_foreign_session (GstRTSPClient * client G_GNUC_UNUSED,
    GstRTSPSession * session, gpointer user_data)
{
  return is_foreign (session, user_data) ? GST_RTSP_FILTER_REMOVE
      : GST_RTSP_FILTER_KEEP;
}

static const gchar *
method_of (GstRTSPContext * ctx)
{
  GstRTSPMethod method;

  if (ctx == NULL || ctx->request == NULL
      || gst_rtsp_message_parse_request (ctx->request, &method, NULL,
          NULL) != GST_RTSP_OK)
    return NULL;
  return gst_rtsp_method_as_text (method);
}

/* Client thread, for every message sent, before it is written. */
static void
on_send_message (GstRTSPClient * client, GstRTSPContext * ctx,
    GstRTSPMessage * message, gpointer user_data)
{
  App *app = user_data;
  ClientInfo *info = g_object_get_data (G_OBJECT (client), CLIENT_INFO_KEY);
  MountFactory *mount = mounts_of_request (app->mounts, ctx);
  GstRTSPStatusCode status;
  GstRTSPConnection *connection;
  const gchar *method = method_of (ctx);
  const gchar *problem;

  if (info == NULL || gst_rtsp_message_get_type (message)
      != GST_RTSP_MESSAGE_RESPONSE
      || gst_rtsp_message_parse_response (message, &status, NULL,
          NULL) != GST_RTSP_OK)
    return;
  connection = gst_rtsp_client_get_connection (client);
  if (connection != NULL) {
    g_mutex_lock (&app->lock);
    client_info_follow_connection (info, connection);
    g_mutex_unlock (&app->lock);
  }
  guard_note_answer (app, info);
  crash_report_note_answered ();
  if (status >= 400)
    rejected_emit (app, info, info->rejection, status, method,
        mount == NULL ? NULL : mount_factory_path (mount));
  info->rejection = NULL;
  g_list_free (gst_rtsp_client_session_filter (client, detach_foreign_session,
          info));

  /* OPTIONS cannot be refused (see requests_watch_client): the connection
   * is closed instead, and the answer, not yet written, is lost. After a
   * bad Content-Length the connection is out of step: closed once answered. */
  if (ctx->request == NULL || (problem = headers_problem (ctx->request))
      == NULL)
    return;
  if (g_str_equal (problem, "bad_content_length"))
    guard_close_after_answer (app, info, problem);
  else if (g_strcmp0 (method, "OPTIONS") == 0)
    guard_close (app, info, problem);
}

/* Only notes the request: gst-rtsp-server 1.22 frees the response, a
 * variable on the client thread's stack, when "pre-options-request" fails
 * (abort: "double free or corruption"). */
static GstRTSPStatusCode
on_pre_options_request (GstRTSPClient * client,
    GstRTSPContext * ctx G_GNUC_UNUSED, gpointer user_data)
{
  ClientInfo *info = g_object_get_data (G_OBJECT (client), CLIENT_INFO_KEY);

  if (info != NULL) {
    guard_note_request (user_data, info);
    crash_report_note_request (info, ctx);
  }
  return GST_RTSP_STS_OK;
}

void
requests_watch_client (App * app, GstRTSPClient * client)
{
  static const gchar *const signals[] = {
    "pre-describe-request", "pre-setup-request",
    "pre-play-request", "pre-pause-request", "pre-teardown-request",
    "pre-get-parameter-request", "pre-set-parameter-request",
    "pre-announce-request", "pre-record-request",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (signals); i++)
    g_signal_connect (client, signals[i], G_CALLBACK (on_pre_request), app);
  g_signal_connect (client, "pre-options-request",
      G_CALLBACK (on_pre_options_request), app);
  g_signal_connect (client, "pre-setup-request",
      G_CALLBACK (on_pre_setup_request), app);
  g_signal_connect (client, "pre-describe-request",
      G_CALLBACK (on_pre_describe_request), app);
  g_signal_connect (client, "send-message", G_CALLBACK (on_send_message),
      app);
}
