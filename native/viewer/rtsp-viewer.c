#include "viewer/rtsp-viewer.h"

#include <errno.h>

#include "feedback/feedback-offer.h"
#include "viewer/rtcp-budget.h"
#include "link/crash-report.h"
#include "viewer/request-checks.h"
#include "viewer/session-rules.h"
#include "viewer/socket-counts.h"
#include "viewer/tcp-skip.h"

/* gst-rtsp-server 1.22 hands interleaved (TCP) transports a pointer to the
 * client without a reference, and a media's send thread may still be
 * sending to a snapshot of them after the session ended: kept alive this
 * much longer, the client takes such sends as no-ops, not freed memory. */
#define TCP_CLIENT_LINGER_MS 1000
/* gst-rtsp-server writes an answer after its send-message signal, on the
 * client thread: closing then would lose it. */
#define ANSWER_LEAVES_MS 200
/* An adaptive mount paces its TCP viewers at this multiple of the
 * encoder's bitrate: after a cut, TCP can no longer push its backlog into
 * the path faster than the path takes it (the bottleneck dropped 20-90 %
 * of what TCP offered for seconds after a 2.5 -> 0.6 Mbit/s drop), yet
 * stays above the path's capacity at a cut to 60-85 % of it, so the
 * backlog drains as fast; a key frame leaves at 1.5 times the bitrate
 * instead of in one burst. */
#define TCP_PACING_GAIN 1.5

struct _RtspViewer
{
  GstRTSPClient parent;
  RtspViewerParent *context;

  /* Set by rtsp_viewer_attach(), then read-only. */
  guint id;
  gchar *address;               /* NULL when the socket has none */
  guint port;

  /* Client thread only: why the status of the answer being made was
   * chosen by the helper (a static string), for its `rejected` record. */
  const gchar *rejection;

  GMutex lock;                  /* for what follows; after the registry's
                                 * lock, before a Measure's */
  GSocket *socket;              /* our own references, dropped at close */
  GSocket *write_socket;
  gboolean closing;             /* shut down by the helper */
  guint sessions;               /* sessions it set up that still exist */
  ConnectionGuard guard;
  /* What it plays, from its PLAY on. */
  gboolean playing;
  gchar *user_agent;            /* its first request's, printable ASCII */
  const gchar *transport;       /* "udp" or "tcp" */
  gchar *destination;           /* UDP: where RTP and RTCP go */
  guint rtcp_port;
  gboolean positioned;
  guint16 play_seq;
  guint64 play_packets;
  guint encoder;
  const gchar *mount;           /* that encoder's (lives with the helper) */
  Measure *measure;             /* that encoder's */
  gboolean adaptive;
  TcpSkip skip;
  RtcpBudget rtcp;
  guint64 interleaved_bytes;    /* RTCP a TCP viewer sent on its connection */
};

static void viewer_iface_init (ViewerInterface * iface);

G_DEFINE_TYPE_WITH_CODE (RtspViewer, rtsp_viewer, GST_TYPE_RTSP_CLIENT,
    G_IMPLEMENT_INTERFACE (VIEWER_TYPE, viewer_iface_init));

static const gchar *
status_reason (GstRTSPStatusCode status, gchar ** owned)
{
  const gchar *text = gst_rtsp_status_as_text (status);

  if (text == NULL)
    return *owned = g_strdup_printf ("status_%d", status);
  /* "Not Enough Bandwidth" -> "not_enough_bandwidth". */
  *owned = g_ascii_strdown (text, -1);
  g_strcanon (*owned, "abcdefghijklmnopqrstuvwxyz0123456789", '_');
  return *owned;
}

static void
add_identity (RtspViewer * self, Record * record)
{
  record_add_int (record, "client_id", self->id);
  if (self->address != NULL) {
    record_add_string (record, "address", self->address);
    record_add_int (record, "port", self->port);
  }
}

/* `reason` NULL names it after the status; status 0: closed without an
 * answer. Any thread. */
static void
emit_rejected (RtspViewer * self, const gchar * reason,
    GstRTSPStatusCode status, const gchar * method, const gchar * mount)
{
  Record *record = record_new ("rejected");
  gchar *owned = NULL;

  add_identity (self, record);
  record_add_string (record, "reason", reason != NULL ? reason :
      status_reason (status, &owned));
  if (status != 0)
    record_add_int (record, "status", status);
  if (method != NULL)
    record_add_string (record, "method", method);
  if (mount != NULL)
    record_add_string (record, "mount", mount);
  record_emit (self->context->protocol, record);
  g_free (owned);
}

/* A `client` record of this event, to add to and emit. Any thread,
 * without the lock. */
static Record *
client_record (RtspViewer * self, const gchar * event)
{
  Record *record = record_new ("client");

  record_add_string (record, "event", event);
  add_identity (self, record);
  g_mutex_lock (&self->lock);
  if (self->transport != NULL)
    record_add_string (record, "transport", self->transport);
  if (self->user_agent != NULL)
    record_add_string (record, "user_agent", self->user_agent);
  if (self->encoder != 0) {
    record_add_string (record, "mount", self->mount);
    record_add_int (record, "encoder", self->encoder);
  }
  g_mutex_unlock (&self->lock);
  return record;
}

static void
emit_client (RtspViewer * self, const gchar * event)
{
  record_emit (self->context->protocol, client_record (self, event));
}

static GSocket *
ref_socket (RtspViewer * self, gboolean for_writing)
{
  GSocket *socket;

  g_mutex_lock (&self->lock);
  socket = for_writing ? self->write_socket : self->socket;
  if (socket != NULL)
    g_object_ref (socket);
  g_mutex_unlock (&self->lock);
  return socket;
}

/* ---- the guard's notes: a whole request came, an answer left ---- */

static void
note_progress (RtspViewer * self, gboolean answered)
{
  GSocket *socket = ref_socket (self, FALSE);
  guint64 bytes = 0;
  gboolean known = socket != NULL && socket_bytes_read (socket, &bytes);

  g_clear_object (&socket);
  g_mutex_lock (&self->lock);
  connection_guard_note (&self->guard, answered, known, bytes,
      self->interleaved_bytes, g_get_monotonic_time ());
  g_mutex_unlock (&self->lock);
}

/* ---- requests, before gst-rtsp-server handles them (client thread) ---- */

/* The status a pre-request handler returns, noting the reason of an error
 * for its `rejected` record. */
static GstRTSPStatusCode
refuse (RtspViewer * self, GstRTSPStatusCode status, const gchar * reason)
{
  if (status != GST_RTSP_STS_OK)
    self->rejection = reason;
  return status;
}

void
rtsp_viewer_note_refusal (RtspViewer * viewer, const gchar * reason)
{
  if (viewer != NULL)
    viewer->rejection = reason;
}

/* A session belongs to the viewer that set it up. gst-rtsp-server would
 * let any connection that names it pause, play or tear it down, and end it
 * by closing. */
static gboolean
is_foreign (RtspViewer * self, GstRTSPSession * session)
{
  return !HELPER_IS_SESSION (session)
      || !helper_session_is_owned_by (HELPER_SESSION (session),
      HELPER_VIEWER (self));
}

/* Names the viewer's client in its records (the report's and the
 * dashboard's viewer rows): kept short and printable, as it came from the
 * network. */
#define USER_AGENT_MAX 100

static void
note_user_agent (RtspViewer * self, GstRTSPMessage * request)
{
  gchar *agent = NULL;
  gchar *kept;

  if (gst_rtsp_message_get_header (request, GST_RTSP_HDR_USER_AGENT, &agent,
          0) != GST_RTSP_OK || agent[0] == '\0')
    return;
  kept = g_strndup (agent, USER_AGENT_MAX);
  for (gchar * c = kept; *c != '\0'; c++)
    if (*c < 0x20 || *c > 0x7e)
      *c = '?';
  g_mutex_lock (&self->lock);
  if (self->user_agent == NULL) {
    self->user_agent = kept;
    kept = NULL;
  }
  g_mutex_unlock (&self->lock);
  g_free (kept);
}

static GstRTSPStatusCode
check_request (RtspViewer * self, GstRTSPContext * ctx)
{
  const gchar *problem;

  note_progress (self, FALSE);
  crash_report_note_request (self->id, self->address, self->port, ctx);
  if (ctx->request == NULL)
    return refuse (self, GST_RTSP_STS_BAD_REQUEST, "bad_cseq");
  if ((problem = request_check_cseq (ctx->request)) != NULL
      || (problem = request_check_headers (ctx->request)) != NULL)
    return refuse (self, GST_RTSP_STS_BAD_REQUEST, problem);
  if (ctx->session != NULL && is_foreign (self, ctx->session))
    return refuse (self, GST_RTSP_STS_SESSION_NOT_FOUND, "foreign_session");
  note_user_agent (self, ctx->request);
  return GST_RTSP_STS_OK;
}

/* Only notes the request: gst-rtsp-server 1.22 frees the response, a
 * variable on the client thread's stack, when "pre-options-request" fails
 * (abort: "double free or corruption"). A bad one has its connection
 * closed once answered (rtsp_viewer_send_message). */
static GstRTSPStatusCode
rtsp_viewer_pre_options_request (GstRTSPClient * client, GstRTSPContext * ctx)
{
  RtspViewer *self = RTSP_VIEWER (client);

  note_progress (self, FALSE);
  crash_report_note_request (self->id, self->address, self->port, ctx);
  return GST_RTSP_STS_OK;
}

/* The media is looked up next (a SETUP looks it up before its pre-setup
 * signal, too early to wait there). */
static GstRTSPStatusCode
rtsp_viewer_pre_describe_request (GstRTSPClient * client, GstRTSPContext * ctx)
{
  RtspViewer *self = RTSP_VIEWER (client);
  GstRTSPStatusCode status = check_request (self, ctx);
  MountFactory *mount = mounts_of_request (self->context->mounts, ctx);

  if (status == GST_RTSP_STS_OK && mount != NULL)
    mount_factory_wait_gone (mount);
  return status;
}

static GstRTSPStatusCode
rtsp_viewer_pre_setup_request (GstRTSPClient * client, GstRTSPContext * ctx)
{
  RtspViewer *self = RTSP_VIEWER (client);
  RtspViewerParent *context = self->context;
  GstRTSPStatusCode status = check_request (self, ctx);
  MountFactory *mount = mounts_of_request (context->mounts, ctx);
  const gchar *refusal = NULL;

  if (status != GST_RTSP_STS_OK)
    return status;
  if ((refusal = request_check_transports (ctx->request)) != NULL)
    return refuse (self, GST_RTSP_STS_UNSUPPORTED_TRANSPORT, refusal);
  status = session_rules_check_setup (ctx, &refusal);
  if (status != GST_RTSP_STS_OK)
    return refuse (self, status, refusal);
  /* Only an adaptive mount needs its viewers' fast feedback. */
  if (mount != NULL && mount_factory_is_adaptive (mount)
      && (refusal = transport_policy_refusal (context->transport_policy,
              ctx->request)) != NULL)
    return refuse (self, GST_RTSP_STS_UNSUPPORTED_TRANSPORT, refusal);
  if (ctx->session == NULL && (refusal = helper_session_pool_refusal
          (context->sessions, mount, self->address)) != NULL)
    return refuse (self, GST_RTSP_STS_NOT_ENOUGH_BANDWIDTH, refusal);
  return GST_RTSP_STS_OK;
}

#define CHECKED_REQUEST(name) \
static GstRTSPStatusCode \
rtsp_viewer_pre_ ## name ## _request (GstRTSPClient * client, \
    GstRTSPContext * ctx) \
{ \
  return check_request (RTSP_VIEWER (client), ctx); \
}

CHECKED_REQUEST (play);
CHECKED_REQUEST (pause);
CHECKED_REQUEST (teardown);
CHECKED_REQUEST (get_parameter);
CHECKED_REQUEST (set_parameter);
CHECKED_REQUEST (announce);
CHECKED_REQUEST (record);

/* Made by a SETUP of this viewer, whose request is the current one. */
static void
rtsp_viewer_new_session (GstRTSPClient * client, GstRTSPSession * session)
{
  RtspViewer *self = RTSP_VIEWER (client);

  if (!HELPER_IS_SESSION (session))
    return;
  helper_session_set_owner (HELPER_SESSION (session), HELPER_VIEWER (self),
      self->address, mounts_of_request (self->context->mounts,
          gst_rtsp_context_get_current ()));
  g_mutex_lock (&self->lock);
  self->sessions++;
  g_mutex_unlock (&self->lock);
}

/* gst-rtsp-server has already attached a named session to the connection
 * when the request is refused; detached, it stays its owner's alone. */
static GstRTSPFilterResult
detach_foreign_session (GstRTSPClient * client, GstRTSPSession * session,
    gpointer user_data G_GNUC_UNUSED)
{
  return is_foreign (RTSP_VIEWER (client), session) ? GST_RTSP_FILTER_REMOVE
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

/* RTSP over HTTP reads requests from a second socket once the tunnel is
 * set up: the viewer follows it (not once closed: the references were
 * dropped for good). */
static void
follow_connection (RtspViewer * self)
{
  GstRTSPConnection *connection =
      gst_rtsp_client_get_connection (GST_RTSP_CLIENT (self));
  GSocket *read_socket, *write_socket;

  if (connection == NULL)
    return;
  read_socket = gst_rtsp_connection_get_read_socket (connection);
  write_socket = gst_rtsp_connection_get_write_socket (connection);
  g_mutex_lock (&self->lock);
  if (self->socket != NULL && read_socket != NULL)
    g_set_object (&self->socket, read_socket);
  if (self->write_socket != NULL && write_socket != NULL)
    g_set_object (&self->write_socket, write_socket);
  g_mutex_unlock (&self->lock);
}

typedef struct
{
  RtspViewer *viewer;           /* a reference */
  const gchar *reason;
} DelayedClose;

static gboolean
on_answer_left (gpointer user_data)
{
  DelayedClose *close = user_data;

  rtsp_viewer_close (close->viewer, close->reason);
  g_object_unref (close->viewer);
  g_free (close);
  return G_SOURCE_REMOVE;
}

static void
close_after_answer (RtspViewer * self, const gchar * reason)
{
  DelayedClose *close = g_new0 (DelayedClose, 1);

  close->viewer = g_object_ref (self);
  close->reason = reason;
  g_timeout_add (ANSWER_LEAVES_MS, on_answer_left, close);
}

/* Client thread, for every message sent, before it is written. */
static void
rtsp_viewer_send_message (GstRTSPClient * client, GstRTSPContext * ctx,
    GstRTSPMessage * message)
{
  RtspViewer *self = RTSP_VIEWER (client);
  MountFactory *mount = mounts_of_request (self->context->mounts, ctx);
  const gchar *method = method_of (ctx);
  GstRTSPStatusCode status;
  const gchar *problem;

  if (gst_rtsp_message_get_type (message) != GST_RTSP_MESSAGE_RESPONSE
      || gst_rtsp_message_parse_response (message, &status, NULL,
          NULL) != GST_RTSP_OK)
    return;
  follow_connection (self);
  note_progress (self, TRUE);
  crash_report_note_answered ();
  if (status >= 400)
    emit_rejected (self, self->rejection, status, method,
        mount == NULL ? NULL : mount_factory_path (mount));
  self->rejection = NULL;
  g_list_free (gst_rtsp_client_session_filter (client, detach_foreign_session,
          NULL));
  if (mount != NULL && mount_factory_is_adaptive (mount))
    feedback_offer_adjust (message, ctx);

  /* OPTIONS cannot be refused (see rtsp_viewer_pre_options_request): the
   * connection is closed instead, and the answer, not yet written, is
   * lost. After a bad Content-Length the connection is out of step:
   * closed once answered. */
  if (ctx == NULL || ctx->request == NULL
      || (problem = request_check_headers (ctx->request)) == NULL)
    return;
  if (g_str_equal (problem, "bad_content_length"))
    close_after_answer (self, problem);
  else if (g_strcmp0 (method, "OPTIONS") == 0)
    rtsp_viewer_close (self, problem);
}

/* ---- playing ---- */

static guint
pacing_rate (guint bitrate_kbps)
{
  return (guint) MIN (G_MAXUINT, bitrate_kbps * 125.0 * TCP_PACING_GAIN);
}

static void
pace_socket (RtspViewer * self, guint bitrate_kbps)
{
  GSocket *socket = ref_socket (self, TRUE);

  if (socket != NULL && !socket_pace (socket, pacing_rate (bitrate_kbps)))
    g_warning ("could not pace client %u: %s", self->id, g_strerror (errno));
  g_clear_object (&socket);
}

/* After the PLAY response is sent. */
static void
rtsp_viewer_play_request (GstRTSPClient * client, GstRTSPContext * ctx)
{
  RtspViewer *self = RTSP_VIEWER (client);
  GstRTSPStreamTransport *stream_transport;
  const GstRTSPTransport *transport;
  GstRTSPMedia *media;
  gboolean started, known, tcp;
  EncoderRef encoder = { 0 };

  if (ctx->sessmedia == NULL)
    return;
  stream_transport = gst_rtsp_session_media_get_transport (ctx->sessmedia, 0);
  if (stream_transport == NULL)
    return;
  transport = gst_rtsp_stream_transport_get_transport (stream_transport);
  tcp = (transport->lower_transport & GST_RTSP_LOWER_TRANS_TCP) != 0;
  media = gst_rtsp_session_media_get_media (ctx->sessmedia);
  known = mount_factory_encoder_of (media, &encoder);

  g_mutex_lock (&self->lock);
  if (!self->positioned && known) {
    StreamPosition position = { 0 };

    /* The Measure's lock nests in the viewer's. */
    measure_position (encoder.measure, &position);
    self->encoder = encoder.id;
    self->mount = encoder.mount;
    self->adaptive = encoder.adaptive;
    g_clear_pointer (&self->measure, measure_unref);
    self->measure = measure_ref (encoder.measure);
    self->positioned = TRUE;
    self->play_seq = position.next_seq;
    self->play_packets = position.started ? position.packets : 0;
  }
  self->transport = tcp ? "tcp" : "udp";
  if (!tcp) {
    g_free (self->destination);
    self->destination = g_strdup (transport->destination);
    self->rtcp_port = transport->client_port.max;
  }
  started = !self->playing;
  self->playing = TRUE;
  /* An adaptive encoder follows its viewer instead. */
  if (started && known && !encoder.adaptive && tcp)
    tcp_skip_allow (&self->skip, media, stream_transport, encoder.bitrate_kbps);
  g_mutex_unlock (&self->lock);
  g_clear_pointer (&encoder.measure, measure_unref);

  if (started && tcp && encoder.adaptive)
    pace_socket (self, encoder.bitrate_kbps);
  if (started)
    emit_client (self, "playing");
}

static void
stop_playing (RtspViewer * self)
{
  g_mutex_lock (&self->lock);
  self->playing = FALSE;
  tcp_skip_forget (&self->skip);
  g_mutex_unlock (&self->lock);
}

static void
rtsp_viewer_teardown_request (GstRTSPClient * client,
    GstRTSPContext * ctx G_GNUC_UNUSED)
{
  RtspViewer *self = RTSP_VIEWER (client);

  stop_playing (self);
  emit_client (self, "teardown");
}

/* ---- its end ---- */

static gboolean
release_client (gpointer client)
{
  g_object_unref (client);
  return G_SOURCE_REMOVE;
}

/* Its own thread: the connection is gone. gst-rtsp-server has stopped the
 * media of its sessions (TCP, and UDP with stop-on-disconnect) but would
 * keep the sessions, and their --max-viewers places, until they time out:
 * they end now. */
static void
rtsp_viewer_closed (GstRTSPClient * client)
{
  RtspViewer *self = RTSP_VIEWER (client);
  RtspViewerParent *context = self->context;
  gboolean tcp;

  g_mutex_lock (&self->lock);
  tcp = g_strcmp0 (self->transport, "tcp") == 0;
  tcp_skip_forget (&self->skip);
  g_mutex_unlock (&self->lock);
  if (tcp)
    g_timeout_add (TCP_CLIENT_LINGER_MS, release_client, g_object_ref (self));
  helper_session_pool_end_owned (context->sessions, HELPER_VIEWER (self));
  emit_client (self, "closed");

  g_mutex_lock (&self->lock);
  g_clear_object (&self->socket);
  g_clear_object (&self->write_socket);
  g_mutex_unlock (&self->lock);
  viewers_remove (context->viewers, HELPER_VIEWER (self));
}

void
rtsp_viewer_session_ended (RtspViewer * viewer)
{
  g_mutex_lock (&viewer->lock);
  if (viewer->sessions > 0)
    viewer->sessions--;
  tcp_skip_forget (&viewer->skip);
  g_mutex_unlock (&viewer->lock);
}

void
rtsp_viewer_timed_out (RtspViewer * viewer)
{
  stop_playing (viewer);
  emit_client (viewer, "timeout");
}

/* ---- as a Viewer ---- */

static guint
rtsp_viewer_id (Viewer * viewer)
{
  return RTSP_VIEWER (viewer)->id;
}

static void
rtsp_viewer_add_to_record (Viewer * viewer, Record * record)
{
  add_identity (RTSP_VIEWER (viewer), record);
}

/* Its RTCP port on UDP, its RTSP connection on TCP. */
static gboolean
rtsp_viewer_sends_rtcp_from (Viewer * viewer, const gchar * address, guint port)
{
  RtspViewer *self = RTSP_VIEWER (viewer);
  gboolean sends;

  g_mutex_lock (&self->lock);
  if (g_strcmp0 (self->transport, "udp") == 0)
    sends = self->rtcp_port == port
        && g_strcmp0 (self->destination, address) == 0;
  else
    sends = g_strcmp0 (self->transport, "tcp") == 0 && self->port == port
        && g_strcmp0 (self->address, address) == 0;
  g_mutex_unlock (&self->lock);
  return sends;
}

static ViewerRtcp
rtsp_viewer_take_rtcp (Viewer * viewer, gsize bytes, gint64 now_us)
{
  RtspViewer *self = RTSP_VIEWER (viewer);
  gboolean taken;

  g_mutex_lock (&self->lock);
  /* Its `$`, channel and length, then the packet: not part of a request. */
  if (g_strcmp0 (self->transport, "tcp") == 0)
    self->interleaved_bytes += 4 + bytes;
  taken = rtcp_budget_take (&self->rtcp, now_us);
  g_mutex_unlock (&self->lock);
  return taken ? VIEWER_RTCP_TAKEN : VIEWER_RTCP_OVER_RATE;
}

static gboolean
rtsp_viewer_play (Viewer * viewer, ViewerPlay * play)
{
  RtspViewer *self = RTSP_VIEWER (viewer);
  gboolean known;

  g_mutex_lock (&self->lock);
  known = self->transport != NULL;
  play->client_id = self->id;
  play->transport = self->transport;
  play->positioned = self->positioned;
  play->play_seq = self->play_seq;
  play->play_packets = self->play_packets;
  g_mutex_unlock (&self->lock);
  return known;
}

static void
rtsp_viewer_pace (Viewer * viewer, guint encoder, guint bitrate_kbps)
{
  RtspViewer *self = RTSP_VIEWER (viewer);
  gboolean paced;

  g_mutex_lock (&self->lock);
  paced = self->encoder == encoder && self->adaptive
      && g_strcmp0 (self->transport, "tcp") == 0;
  g_mutex_unlock (&self->lock);
  if (paced)
    pace_socket (self, bitrate_kbps);
}

/* gst_rtsp_client_close() from another thread races with the client's
 * watch on its own thread. Shutting the socket down instead makes the
 * client see EOF and tear itself down there, as when a viewer vanishes. */
static void
rtsp_viewer_disconnect (Viewer * viewer)
{
  GSocket *socket = ref_socket (RTSP_VIEWER (viewer), FALSE);

  if (socket != NULL)
    g_socket_shutdown (socket, TRUE, TRUE, NULL);
  g_clear_object (&socket);
}

static void
viewer_iface_init (ViewerInterface * iface)
{
  iface->id = rtsp_viewer_id;
  iface->add_to_record = rtsp_viewer_add_to_record;
  iface->sends_rtcp_from = rtsp_viewer_sends_rtcp_from;
  iface->take_rtcp = rtsp_viewer_take_rtcp;
  iface->play = rtsp_viewer_play;
  iface->pace = rtsp_viewer_pace;
  iface->disconnect = rtsp_viewer_disconnect;
}

/* ---- the guard and the TCP watch (main thread) ---- */

void
rtsp_viewer_close (RtspViewer * viewer, const gchar * reason)
{
  GSocket *socket;
  gboolean first;

  g_mutex_lock (&viewer->lock);
  socket = viewer->socket == NULL ? NULL : g_object_ref (viewer->socket);
  /* Not one that has closed meanwhile (its `closed` record is written). */
  first = !viewer->closing && socket != NULL;
  viewer->closing = TRUE;
  g_mutex_unlock (&viewer->lock);
  /* Before the shutdown, which makes the client thread emit `closed`. */
  if (first)
    emit_rejected (viewer, reason, 0, NULL, NULL);
  if (socket != NULL)
    g_socket_shutdown (socket, TRUE, TRUE, NULL);
  g_clear_object (&socket);
}

void
rtsp_viewer_standing (RtspViewer * viewer, RtspViewerStanding * standing)
{
  g_mutex_lock (&viewer->lock);
  standing->closing = viewer->closing;
  standing->sessions = viewer->sessions > 0;
  standing->answered = viewer->guard.answers > 0;
  g_mutex_unlock (&viewer->lock);
}

const gchar *
rtsp_viewer_check_connection (RtspViewer * viewer, gint64 now_us)
{
  const gchar *reason = NULL;
  guint64 received;

  g_mutex_lock (&viewer->lock);
  if (!viewer->closing && viewer->socket != NULL
      && socket_bytes_received (viewer->socket, &received))
    reason = connection_guard_check (&viewer->guard,
        &viewer->context->guard_limits, received, viewer->interleaved_bytes,
        viewer->sessions > 0, now_us);
  g_mutex_unlock (&viewer->lock);
  return reason;
}

/* The payloader's streaming thread: a skipped viewer's key frame came. */
static void
on_resumed (GObject * owner, const TcpSkipResumed * resumed)
{
  RtspViewer *self = RTSP_VIEWER (owner);
  Record *record = client_record (self, "resumed");

  record_add_int (record, "skipped_ms", resumed->skipped_us / 1000);
  record_add_int (record, "skipped_bytes", resumed->skipped_bytes);
  record_emit (self->context->protocol, record);
}

/* Skipping: one sample of what waits in its socket, 100 ms after the
 * last. */
static void
sample_skip (RtspViewer * self, gint unsent, Measure * measure,
    const StreamPosition * position)
{
  TcpSkipChange change;

  g_mutex_lock (&self->lock);
  change = tcp_skip_sample (&self->skip, self->playing, unsent, position);
  g_mutex_unlock (&self->lock);
  /* Leaving the stream also drops what gst-rtsp-server queued for it. */
  if (change.leave != NULL) {
    Record *skipping = client_record (self, "skipping");

    gst_rtsp_stream_transport_set_active (change.leave, FALSE);
    record_add_int (skipping, "unsent_bytes", unsent);
    record_emit (self->context->protocol, skipping);
  }
  if (change.resume != NULL)
    tcp_skip_resume_at_key_frame (&self->skip, &self->lock, measure,
        change.resume, on_resumed, G_OBJECT (self));
  tcp_skip_change_clear (&change);
}

static void
emit_queue (RtspViewer * self, gint unsent, const StreamPosition * position)
{
  Record *record = record_new ("queue");

  g_mutex_lock (&self->lock);
  if (self->mount != NULL)
    record_add_string (record, "mount", self->mount);
  record_add_int (record, "client_id", self->id);
  if (self->address != NULL)
    record_add_string (record, "address", self->address);
  record_add_int (record, "unsent_bytes", unsent);
  /* What it was offered: its encoder's bytes, less those skipped. */
  if (position->started)
    record_add_int (record, "bytes_sent",
        tcp_skip_offered_bytes (&self->skip, position));
  g_mutex_unlock (&self->lock);
  record_emit (self->context->protocol, record);
}

void
rtsp_viewer_sample_tcp (RtspViewer * viewer, RtspViewerTcpSample what)
{
  StreamPosition position = { 0 };
  GSocket *socket = NULL;
  Measure *measure = NULL;
  gint unsent;

  g_mutex_lock (&viewer->lock);
  if (viewer->playing && g_strcmp0 (viewer->transport, "tcp") == 0
      && viewer->write_socket != NULL) {
    socket = g_object_ref (viewer->write_socket);
    if (viewer->measure != NULL)
      measure = measure_ref (viewer->measure);
  }
  g_mutex_unlock (&viewer->lock);
  if (socket == NULL || !socket_bytes_unsent (socket, &unsent))
    goto done;
  if (measure != NULL)
    measure_position (measure, &position);
  switch (what) {
    case RTSP_VIEWER_TCP_SKIP:
      sample_skip (viewer, unsent, measure, &position);
      break;
    case RTSP_VIEWER_TCP_QUEUE:
      emit_queue (viewer, unsent, &position);
      break;
  }
done:
  g_clear_object (&socket);
  g_clear_pointer (&measure, measure_unref);
}

/* ---- life ---- */

RtspViewer *
rtsp_viewer_new (RtspViewerParent * parent)
{
  RtspViewer *viewer = g_object_new (RTSP_TYPE_VIEWER, NULL);

  viewer->context = parent;
  return viewer;
}

void
rtsp_viewer_attach (RtspViewer * viewer)
{
  GstRTSPConnection *connection =
      gst_rtsp_client_get_connection (GST_RTSP_CLIENT (viewer));
  GSocket *socket = NULL;
  guint16 port = 0;

  viewer->id = (guint) g_atomic_int_add (&viewer->context->next_id, 1) + 1;
  g_mutex_lock (&viewer->lock);
  connection_guard_init (&viewer->guard, g_get_monotonic_time ());
  if (connection != NULL) {
    GSocket *write_socket = gst_rtsp_connection_get_write_socket (connection);

    socket = gst_rtsp_connection_get_read_socket (connection);
    if (write_socket != NULL)
      viewer->write_socket = g_object_ref (write_socket);
  }
  if (socket != NULL) {
    viewer->socket = g_object_ref (socket);
    viewer->address = socket_peer_of (socket, &port);
    viewer->port = port;
  }
  g_mutex_unlock (&viewer->lock);
  viewers_add (viewer->context->viewers, HELPER_VIEWER (viewer));
  emit_client (viewer, "connected");
}

static void
rtsp_viewer_finalize (GObject * object)
{
  RtspViewer *self = RTSP_VIEWER (object);

  g_clear_object (&self->socket);
  g_clear_object (&self->write_socket);
  g_free (self->address);
  g_free (self->destination);
  g_free (self->user_agent);
  g_clear_pointer (&self->measure, measure_unref);
  tcp_skip_forget (&self->skip);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (rtsp_viewer_parent_class)->finalize (object);
}

static void
rtsp_viewer_class_init (RtspViewerClass * klass)
{
  GstRTSPClientClass *client_class = GST_RTSP_CLIENT_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = rtsp_viewer_finalize;
  client_class->closed = rtsp_viewer_closed;
  client_class->new_session = rtsp_viewer_new_session;
  client_class->play_request = rtsp_viewer_play_request;
  client_class->teardown_request = rtsp_viewer_teardown_request;
  client_class->send_message = rtsp_viewer_send_message;
  client_class->pre_options_request = rtsp_viewer_pre_options_request;
  client_class->pre_describe_request = rtsp_viewer_pre_describe_request;
  client_class->pre_setup_request = rtsp_viewer_pre_setup_request;
  client_class->pre_play_request = rtsp_viewer_pre_play_request;
  client_class->pre_pause_request = rtsp_viewer_pre_pause_request;
  client_class->pre_teardown_request = rtsp_viewer_pre_teardown_request;
  client_class->pre_get_parameter_request =
      rtsp_viewer_pre_get_parameter_request;
  client_class->pre_set_parameter_request =
      rtsp_viewer_pre_set_parameter_request;
  client_class->pre_announce_request = rtsp_viewer_pre_announce_request;
  client_class->pre_record_request = rtsp_viewer_pre_record_request;
}

static void
rtsp_viewer_init (RtspViewer * self)
{
  g_mutex_init (&self->lock);
}
