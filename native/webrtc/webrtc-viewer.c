#include "webrtc/webrtc-viewer.h"

/* 1.22 calls the WebRTC library unstable API; it is what webrtcbin takes. */
#define GST_USE_UNSTABLE_API
#include <gst/webrtc/webrtc.h>
#include <gst/rtp/rtp.h>
#include <gst/video/video.h>

#include "encoder/encoder.h"
#include "encoder/media-launch.h"
#include "feedback/feedback-in.h"
#include "feedback/twcc-extension.h"
#include "viewer/viewer.h"
#include "webrtc/webrtc-broadcast.h"
#include "webrtc/whep-reply.h"

/* The answer waits this long at most for ICE gathering (a STUN or TURN
 * server that does not answer): what was gathered by then goes out. */
#define GATHERING_TIMEOUT_MS 3000
#define CHECK_INTERVAL_S 1
/* What a NACK may still get again: packets this young (by RTP time against
 * the newest sent). A NACK comes a round trip after the loss, so a path
 * whose queue is full (a round trip longer than this) gets no
 * retransmissions: on a 600 kbit/s link after a drop, RTX had taken 260-400
 * kbit/s of it, 10 s long, against the controller's lower target
 * (docs/benchmarks.md); on a short queue that loses key-frame bursts,
 * they still come (573 of 600 frames shown against 91 without RTX). */
#define RTX_MAX_AGE_MS 250

typedef enum
{
  STAGE_NEGOTIATING,            /* no answer yet */
  STAGE_ANSWERED,               /* answered, ICE and DTLS under way */
  STAGE_PLAYING,                /* connected */
  STAGE_ENDED,
} Stage;

struct _WebrtcViewer
{
  GObject parent;

  const WebrtcContext *context;
  guint id;
  gchar *token;
  gchar *address;
  gchar *user_agent;
  WebrtcViewerEnded ended;
  gpointer ended_data;

  /* Main thread: */
  Stage stage;
  gboolean replied;             /* a `whep` record went out */
  gchar *mount;
  gint64 started_us;
  guint twcc_ext_id;            /* the offer's, 0: none */
  guint media_index;            /* the offer's video m-line */
  GstElement *pipeline;
  GstElement *webrtc;
  WebrtcBroadcast *broadcast;   /* a static mount's, shared; NULL: its own */
  GstElement *rtp_src;          /* the broadcast's packets come in by it */
  guint payload;                /* the offer's H.264 payload type */
  guint32 ssrc;                 /* of its packets, named in its answer */
  Encoder *own_encoder;         /* NULL with a broadcast */
  MediaElements elements;
  FeedbackIn *feedback;
  GObject *session;             /* webrtcbin's RTP session, once playing */
  gulong rtcp_id;
  GstSDPMessage *offer;         /* until it is given to webrtcbin */
  guint gathering_timeout;
  guint check_timeout;
  guint bus_watch;

  GMutex lock;                  /* what feedback threads read */
  gboolean positioned;
  guint16 play_seq;
  guint64 play_packets;
  gint64 last_rtcp_us;
};

static void viewer_iface_init (ViewerInterface * iface);

G_DEFINE_TYPE_WITH_CODE (WebrtcViewer, webrtc_viewer, G_TYPE_OBJECT,
    G_IMPLEMENT_INTERFACE (VIEWER_TYPE, viewer_iface_init));

static void
add_identity (WebrtcViewer * self, Record * record)
{
  record_add_int (record, "client_id", self->id);
  if (self->address != NULL)
    record_add_string (record, "address", self->address);
}

/* The encoder it plays: its own (an adaptive mount's viewer), else the
 * static mount's broadcast's; NULL before it started. */
static Encoder *
encoder_of (WebrtcViewer * self)
{
  if (self->own_encoder != NULL)
    return self->own_encoder;
  return self->broadcast != NULL ?
      webrtc_broadcast_encoder (self->broadcast) : NULL;
}

static void
emit_client (WebrtcViewer * self, const gchar * event)
{
  Record *record = record_new ("client");
  Encoder *encoder = encoder_of (self);

  record_add_string (record, "event", event);
  add_identity (self, record);
  record_add_string (record, "transport", "webrtc");
  if (self->user_agent != NULL)
    record_add_string (record, "user_agent", self->user_agent);
  if (encoder != NULL) {
    record_add_string (record, "mount", self->mount);
    record_add_int (record, "encoder", encoder_id (encoder));
  }
  record_emit (self->context->protocol, record);
}

static void
emit_answer (WebrtcViewer * self, const gchar * sdp)
{
  self->replied = TRUE;
  whep_reply_answer (self->context->protocol, self->token, self->id, sdp);
}

/* `status` is the HTTP status the supervisor answers with. */
static void
emit_refused (WebrtcViewer * self, guint status, const gchar * reason,
    const gchar * message)
{
  self->replied = TRUE;
  whep_reply_refused (self->context->protocol, self->token, status, reason,
      message);
}

/* ---- from webrtcbin's threads to the main loop ---- */

typedef void (*MainFunc) (WebrtcViewer * self);

typedef struct
{
  WebrtcViewer *viewer;
  MainFunc func;
} MainCall;

static gboolean
run_main_call (gpointer data)
{
  MainCall *call = data;

  call->func (call->viewer);
  return G_SOURCE_REMOVE;
}

static void
free_main_call (gpointer data)
{
  MainCall *call = data;

  g_object_unref (call->viewer);
  g_free (call);
}

/* Runs func on the main loop, holding the viewer until then. */
static void
on_main (WebrtcViewer * self, MainFunc func)
{
  MainCall *call = g_new (MainCall, 1);

  call->viewer = g_object_ref (self);
  call->func = func;
  g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, run_main_call, call,
      free_main_call);
}

/* ---- ending ---- */

static void
stop_feedback (WebrtcViewer * self)
{
  if (self->rtcp_id != 0)
    g_signal_handler_disconnect (self->session, self->rtcp_id);
  self->rtcp_id = 0;
  g_clear_pointer (&self->feedback, feedback_in_stop);
  g_clear_object (&self->session);
}

void
webrtc_viewer_end (WebrtcViewer * self, const gchar * event)
{
  Stage was = self->stage;

  if (was == STAGE_ENDED)
    return;
  self->stage = STAGE_ENDED;
  g_clear_handle_id (&self->gathering_timeout, g_source_remove);
  g_clear_handle_id (&self->check_timeout, g_source_remove);
  g_clear_handle_id (&self->bus_watch, g_source_remove);
  g_clear_pointer (&self->offer, gst_sdp_message_free);
  if (!self->replied)
    emit_refused (self, 503, "ended", "the viewer ended before its answer");
  emit_client (self, event);
  stop_feedback (self);
  if (self->pipeline != NULL)
    gst_element_set_state (self->pipeline, GST_STATE_NULL);
  if (self->own_encoder != NULL && was == STAGE_PLAYING)
    encoder_emit_media (self->context->protocol, self->mount, "unprepared",
        self->own_encoder);
  if (self->broadcast != NULL)
    webrtc_broadcast_remove (self->broadcast, self->rtp_src);
  g_clear_pointer (&self->own_encoder, encoder_free);
  g_clear_object (&self->rtp_src);
  media_elements_clear (&self->elements);
  g_clear_object (&self->webrtc);
  g_clear_object (&self->pipeline);
  viewers_remove (self->context->viewers, HELPER_VIEWER (self));
  self->ended (self, self->ended_data);
}

static void
end_closed (WebrtcViewer * self)
{
  webrtc_viewer_end (self, "closed");
}

/* Every CHECK_INTERVAL_S: a peer that never connects, or went silent. */
static gboolean
on_check (gpointer user_data)
{
  WebrtcViewer *self = user_data;
  gint64 now_us = g_get_monotonic_time ();

  if (self->stage != STAGE_PLAYING
      && now_us - self->started_us >
      (gint64) self->context->connect_timeout_s * G_USEC_PER_SEC)
    goto timed_out;
  if (self->stage == STAGE_PLAYING) {
    gint64 silent_us;

    g_mutex_lock (&self->lock);
    silent_us = now_us - self->last_rtcp_us;
    g_mutex_unlock (&self->lock);
    if (silent_us > WEBRTC_SILENCE_TIMEOUT_S * G_USEC_PER_SEC)
      goto timed_out;
  }
  return G_SOURCE_CONTINUE;

timed_out:
  self->check_timeout = 0;
  webrtc_viewer_end (self, "timeout");
  return G_SOURCE_REMOVE;
}

/* ---- playing ---- */

/* An RTCP thread. */
static void
on_receiving_rtcp (GObject * session G_GNUC_UNUSED,
    GstBuffer * buffer G_GNUC_UNUSED, gpointer user_data)
{
  WebrtcViewer *self = user_data;

  g_mutex_lock (&self->lock);
  self->last_rtcp_us = g_get_monotonic_time ();
  g_mutex_unlock (&self->lock);
}

static GObject *
rtp_session_of (GstElement * webrtc)
{
  GstElement *rtpbin = gst_bin_get_by_name (GST_BIN (webrtc), "rtpbin");
  GObject *session = NULL;

  if (rtpbin == NULL)
    return NULL;
  /* max-bundle: one session, 0, for the one m-line. */
  g_signal_emit_by_name (rtpbin, "get-internal-session", 0, &session);
  gst_object_unref (rtpbin);
  return session;
}

static void
start_playing (WebrtcViewer * self)
{
  Measure *measure = encoder_measure (encoder_of (self));
  StreamPosition position = { 0 };

  if (self->stage != STAGE_ANSWERED)
    return;
  self->stage = STAGE_PLAYING;
  measure_position (measure, &position);
  g_mutex_lock (&self->lock);
  self->positioned = TRUE;
  self->play_seq = position.next_seq;
  self->play_packets = position.started ? position.packets : 0;
  self->last_rtcp_us = g_get_monotonic_time ();
  g_mutex_unlock (&self->lock);

  self->session = rtp_session_of (self->webrtc);
  if (self->session != NULL) {
    self->feedback = feedback_in_start (self->context->protocol,
        self->context->viewers, HELPER_VIEWER (self), measure, self->session,
        self->broadcast == NULL);
    self->rtcp_id = g_signal_connect (self->session, "on-receiving-rtcp",
        G_CALLBACK (on_receiving_rtcp), self);
  }
  if (self->broadcast != NULL) {
    webrtc_broadcast_request_key_frame (self->broadcast);
  } else {
    encoder_note_prepared (self->own_encoder);
    encoder_emit_media (self->context->protocol, self->mount, "prepared",
        self->own_encoder);
    encoder_emit_bitrate (self->context->protocol, self->mount,
        encoder_id (self->own_encoder),
        encoder_applied_bitrate (self->own_encoder), 0);
  }
  emit_client (self, "playing");
}

/* webrtcbin's thread. */
static void
on_connection_state (GstElement * webrtc, GParamSpec * pspec G_GNUC_UNUSED,
    gpointer user_data)
{
  WebrtcViewer *self = user_data;
  GstWebRTCPeerConnectionState state;

  g_object_get (webrtc, "connection-state", &state, NULL);
  switch (state) {
    case GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTED:
      on_main (self, start_playing);
      break;
    case GST_WEBRTC_PEER_CONNECTION_STATE_FAILED:
    case GST_WEBRTC_PEER_CONNECTION_STATE_CLOSED:
      on_main (self, end_closed);
      break;
    case GST_WEBRTC_PEER_CONNECTION_STATE_NEW:
    case GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTING:
    case GST_WEBRTC_PEER_CONNECTION_STATE_DISCONNECTED:
      /* A disconnected peer may come back; silence ends it otherwise. */
      break;
  }
}

/* ---- the answer ---- */

static void
send_answer (WebrtcViewer * self)
{
  GstWebRTCSessionDescription *local = NULL;
  gchar *sdp;

  if (self->stage != STAGE_NEGOTIATING)
    return;
  g_clear_handle_id (&self->gathering_timeout, g_source_remove);
  g_object_get (self->webrtc, "local-description", &local, NULL);
  if (local == NULL) {
    emit_refused (self, 500, "no_answer", "webrtcbin made no answer");
    webrtc_viewer_end (self, "closed");
    return;
  }
  self->stage = STAGE_ANSWERED;
  sdp = gst_sdp_message_as_text (local->sdp);
  emit_answer (self, sdp);
  g_free (sdp);
  gst_webrtc_session_description_free (local);
}

static gboolean
on_gathering_timeout (gpointer user_data)
{
  WebrtcViewer *self = user_data;

  self->gathering_timeout = 0;
  send_answer (self);
  return G_SOURCE_REMOVE;
}

/* webrtcbin's thread. */
static void
on_gathering_state (GstElement * webrtc, GParamSpec * pspec G_GNUC_UNUSED,
    gpointer user_data)
{
  WebrtcViewer *self = user_data;
  GstWebRTCICEGatheringState state;

  g_object_get (webrtc, "ice-gathering-state", &state, NULL);
  if (state == GST_WEBRTC_ICE_GATHERING_STATE_COMPLETE)
    on_main (self, send_answer);
}

/* The error of a promise's reply, or NULL. */
static gchar *
promise_error (GstPromise * promise)
{
  const GstStructure *reply;
  GError *error = NULL;
  gchar *message;

  if (gst_promise_wait (promise) != GST_PROMISE_RESULT_REPLIED)
    return g_strdup ("webrtcbin did not reply");
  reply = gst_promise_get_reply (promise);
  if (reply == NULL || !gst_structure_has_field (reply, "error"))
    return NULL;
  gst_structure_get (reply, "error", G_TYPE_ERROR, &error, NULL);
  message = g_strdup (error != NULL ? error->message : "unknown error");
  g_clear_error (&error);
  return message;
}

static void
refuse_unanswerable (WebrtcViewer * self)
{
  if (self->stage != STAGE_NEGOTIATING)
    return;
  emit_refused (self, 406, "unanswerable",
      "webrtcbin could not answer the offer's H.264");
  webrtc_viewer_end (self, "closed");
}

/* webrtcbin 1.22 leaves the offer's extmaps out of its answer: without
 * the transport-wide-cc one, the browser sends no TWCC feedback. */
static void
add_twcc_extmap (WebrtcViewer * self, GstSDPMessage * answer)
{
  GstSDPMedia *media;
  gchar *value;

  if (self->twcc_ext_id == 0
      || self->media_index >= gst_sdp_message_medias_len (answer))
    return;
  media = (GstSDPMedia *) gst_sdp_message_get_media (answer, self->media_index);
  value = g_strdup_printf ("%u %s", self->twcc_ext_id, TWCC_URI);
  gst_sdp_media_add_attribute (media, "extmap", value);
  g_free (value);
}

/* webrtcbin's thread: the answer is made; setting it starts ICE. */
static void
on_answer_created (GstPromise * promise, gpointer user_data)
{
  WebrtcViewer *self = user_data;
  GstWebRTCSessionDescription *answer = NULL;
  gchar *error = promise_error (promise);

  if (error == NULL)
    gst_structure_get (gst_promise_get_reply (promise), "answer",
        GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &answer, NULL);
  gst_promise_unref (promise);
  if (answer == NULL) {
    GST_WARNING ("no answer for WHEP session %s: %s", self->token,
        GST_STR_NULL (error));
    on_main (self, refuse_unanswerable);
  } else {
    add_twcc_extmap (self, answer->sdp);
    g_signal_emit_by_name (self->webrtc, "set-local-description", answer, NULL);
    gst_webrtc_session_description_free (answer);
  }
  g_free (error);
  g_object_unref (self);
}

/* webrtcbin's thread. */
static void
on_offer_set (GstPromise * promise, gpointer user_data)
{
  WebrtcViewer *self = user_data;
  gchar *error = promise_error (promise);

  gst_promise_unref (promise);
  if (error != NULL) {
    GST_WARNING ("WHEP session %s: offer not taken: %s", self->token, error);
    on_main (self, refuse_unanswerable);
    g_free (error);
    g_object_unref (self);
    return;
  }
  g_signal_emit_by_name (self->webrtc, "create-answer", NULL,
      gst_promise_new_with_change_func (on_answer_created, self, NULL));
}

/* Main thread: the offer to webrtcbin, which then answers it. */
static void
negotiate (WebrtcViewer * self)
{
  GstWebRTCSessionDescription *description;

  if (self->stage != STAGE_NEGOTIATING || self->offer == NULL)
    return;
  description = gst_webrtc_session_description_new (GST_WEBRTC_SDP_TYPE_OFFER,
      g_steal_pointer (&self->offer));
  g_signal_emit_by_name (self->webrtc, "set-remote-description", description,
      gst_promise_new_with_change_func (on_offer_set, g_object_ref (self),
          NULL));
  gst_webrtc_session_description_free (description);
  self->gathering_timeout = g_timeout_add (GATHERING_TIMEOUT_MS,
      on_gathering_timeout, self);
}

/* ---- the pipeline ---- */

/* Main thread. An error ends the viewer; a new latency is given to every
 * element. */
static gboolean
on_bus_message (GstBus * bus G_GNUC_UNUSED, GstMessage * message,
    gpointer user_data)
{
  WebrtcViewer *self = user_data;
  GError *error = NULL;
  gchar *text;

  switch (GST_MESSAGE_TYPE (message)) {
    case GST_MESSAGE_LATENCY:
      gst_bin_recalculate_latency (GST_BIN (self->pipeline));
      break;
    case GST_MESSAGE_ERROR:
      gst_message_parse_error (message, &error, NULL);
      text = g_strdup_printf ("WebRTC viewer %u (%s): %s", self->id,
          GST_MESSAGE_SRC_NAME (message), error->message);
      protocol_emit_error (self->context->protocol, "pipeline", text, NULL);
      g_free (text);
      g_error_free (error);
      self->bus_watch = 0;
      webrtc_viewer_end (self, "closed");
      return G_SOURCE_REMOVE;
    default:
      break;
  }
  return G_SOURCE_CONTINUE;
}

/* ICE on --host's address only (all interfaces for a wildcard), within
 * the port range, through the STUN and TURN servers given. */
static void
configure_ice (WebrtcViewer * self)
{
  const WebrtcContext *context = self->context;
  GInetAddress *host = g_inet_address_new_from_string (context->host);
  GstWebRTCICE *ice = NULL;

  g_object_get (self->webrtc, "ice-agent", &ice, NULL);
  if (ice != NULL && context->min_port > 0)
    g_object_set (ice, "min-rtp-port", context->min_port, "max-rtp-port",
        context->max_port, NULL);
  if (ice != NULL && host != NULL && !g_inet_address_get_is_any (host)) {
    gboolean added = FALSE;

    g_signal_emit_by_name (ice, "add-local-ip-address", context->host, &added);
  }
  for (guint i = 0; context->ice_servers != NULL
      && context->ice_servers[i] != NULL; i++) {
    const gchar *server = context->ice_servers[i];
    gboolean added = FALSE;

    if (g_str_has_prefix (server, "stun://"))
      g_object_set (self->webrtc, "stun-server", server, NULL);
    else
      g_signal_emit_by_name (self->webrtc, "add-turn-server", server, &added);
  }
  g_clear_object (&host);
  gst_clear_object (&ice);
}

/* From `from` into webrtcbin: the transceiver sends only, the offer's
 * H.264 payload, with RTX unless --no-webrtc-rtx. Its SSRC is set before
 * anything is sent, for the answer to name it: an answer made before the
 * first packet named none (a=ssrc-group:FID 0 …), and Chromium decoded
 * the packets it then got but showed no picture. */
static gboolean
link_transceiver (WebrtcViewer * self, GstElement * from,
    const WhepOffer * offer, GError ** error)
{
  GstPad *sink = gst_element_request_pad_simple (self->webrtc, "sink_%u");
  GstPad *src = gst_element_get_static_pad (from, "src");
  GstWebRTCRTPTransceiver *transceiver = NULL;
  GstCaps *preferences;
  gboolean linked;

  linked = sink != NULL && src != NULL
      && gst_pad_link (src, sink) == GST_PAD_LINK_OK;
  if (linked)
    g_object_get (sink, "transceiver", &transceiver, NULL);
  gst_clear_object (&src);
  gst_clear_object (&sink);
  if (transceiver == NULL)
    goto no_transceiver;
  preferences = gst_caps_new_simple ("application/x-rtp",
      "media", G_TYPE_STRING, "video",
      "encoding-name", G_TYPE_STRING, "H264",
      "clock-rate", G_TYPE_INT, 90000,
      "payload", G_TYPE_INT, (gint) offer->payload,
      "ssrc", G_TYPE_UINT, self->ssrc, NULL);
  g_object_set (transceiver, "direction",
      GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY, "do-nack",
      self->context->rtx, "codec-preferences", preferences, NULL);
  gst_caps_unref (preferences);
  gst_object_unref (transceiver);
  return TRUE;

  /* ERRORS */
no_transceiver:
  {
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_PAD,
        "cannot link the packets' source to webrtcbin");
    return FALSE;
  }
}

/* The shared packets carry the broadcast's payload type: each viewer's
 * are rewritten to the one its browser offered, caps and packets. */
static GstPadProbeReturn
set_payload (GstPad * pad G_GNUC_UNUSED, GstPadProbeInfo * info,
    gpointer user_data)
{
  WebrtcViewer *self = user_data;

  if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    GstBuffer *buffer = gst_buffer_make_writable (GST_PAD_PROBE_INFO_BUFFER
        (info));
    GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;

    if (gst_rtp_buffer_map (buffer, GST_MAP_WRITE, &rtp)) {
      gst_rtp_buffer_set_payload_type (&rtp, self->payload);
      gst_rtp_buffer_unmap (&rtp);
    }
    GST_PAD_PROBE_INFO_DATA (info) = buffer;
  } else if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) == GST_EVENT_CAPS) {
    GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
    GstCaps *caps;

    gst_event_parse_caps (event, &caps);
    caps = gst_caps_copy (caps);
    gst_caps_set_simple (caps, "payload", G_TYPE_INT, (gint) self->payload,
        NULL);
    GST_PAD_PROBE_INFO_DATA (info) = gst_event_new_caps (caps);
    gst_caps_unref (caps);
    gst_event_unref (event);
  }
  return GST_PAD_PROBE_OK;
}

/* A PLI or FIR from the browser comes up as a force-key-unit event, which
 * the appsrc would drop: the shared encoder makes the key frame. */
static GstPadProbeReturn
forward_key_request (GstPad * pad G_GNUC_UNUSED, GstPadProbeInfo * info,
    gpointer user_data)
{
  WebrtcViewer *self = user_data;

  if (gst_video_event_is_force_key_unit (GST_PAD_PROBE_INFO_EVENT (info)))
    webrtc_broadcast_request_key_frame (self->broadcast);
  return GST_PAD_PROBE_OK;
}

/* rtpsession times a sender report's RTP timestamp by when packets are
 * sent, which needs the latency of what follows it; webrtcbin links its
 * sending side once negotiated, past the pipeline's latency query, and
 * rtpsession then warns at every packet. A video-only stream's reports
 * are as good timed by capture. */
static void
time_reports_by_capture (GstElement * webrtc)
{
  GstElement *rtpbin = gst_bin_get_by_name (GST_BIN (webrtc), "rtpbin");

  if (rtpbin == NULL)
    return;
  g_object_set (rtpbin, "rtcp-sync-send-time", FALSE, NULL);
  gst_object_unref (rtpbin);
}

/* webrtcbin makes its rtprtxsend when negotiated, in its rtpbin. */
static void
on_element_added (GstBin * pipeline G_GNUC_UNUSED, GstBin * bin G_GNUC_UNUSED,
    GstElement * element, gpointer user_data G_GNUC_UNUSED)
{
  GstElementFactory *factory = gst_element_get_factory (element);

  if (factory != NULL && g_str_equal (GST_OBJECT_NAME (factory), "rtprtxsend"))
    g_object_set (element, "max-size-time", RTX_MAX_AGE_MS, NULL);
}

/* Its own chain, decoded frames to payloader, or an appsrc of the
 * broadcast's packets; and webrtcbin, unlinked (link_transceiver()). */
static gchar *
launch_line (WebrtcViewer * self, const WebrtcMount * mount,
    const WhepOffer * offer)
{
  const WebrtcContext *context = self->context;
  gchar *chain, *launch;

  if (self->broadcast != NULL)
    chain = g_strdup_printf ("appsrc name=rtpsrc is-live=true format=time "
        "caps=application/x-rtp,media=video,encoding-name=H264,"
        "clock-rate=90000,payload=%u", offer->payload);
  else
    chain = media_launch_video_new (context->encoder_preset,
        offer->main_profile, context->fps, (gint) mount->bitrate_kbps,
        offer->payload);
  launch = g_strdup_printf ("%s webrtcbin name=webrtc "
      "bundle-policy=max-bundle", chain);
  g_free (chain);
  return launch;
}

static gboolean
build_pipeline (WebrtcViewer * self, const WebrtcMount * mount,
    const WhepOffer * offer, GError ** error)
{
  gchar *launch = launch_line (self, mount, offer);
  GstElement *feeder;
  GstPad *src;

  self->pipeline = gst_parse_launch (launch, error);
  g_free (launch);
  if (self->pipeline == NULL)
    return FALSE;
  gst_object_ref_sink (self->pipeline);
  g_signal_connect (self->pipeline, "deep-element-added",
      G_CALLBACK (on_element_added), NULL);
  self->webrtc = gst_bin_get_by_name (GST_BIN (self->pipeline), "webrtc");
  if (self->webrtc == NULL)
    goto no_elements;
  if (self->broadcast != NULL) {
    self->rtp_src = gst_bin_get_by_name (GST_BIN (self->pipeline), "rtpsrc");
    if (self->rtp_src == NULL)
      goto no_elements;
    src = gst_element_get_static_pad (self->rtp_src, "src");
    gst_pad_add_probe (src, GST_PAD_PROBE_TYPE_BUFFER |
        GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, set_payload, self, NULL);
    gst_pad_add_probe (src, GST_PAD_PROBE_TYPE_EVENT_UPSTREAM,
        forward_key_request, self, NULL);
    gst_object_unref (src);
    feeder = self->rtp_src;
    self->ssrc = webrtc_broadcast_ssrc (self->broadcast);
  } else {
    if (!media_launch_elements (self->pipeline, &self->elements))
      goto no_elements;
    if (offer->twcc_ext_id != 0
        && !twcc_extension_add (self->elements.pay, offer->twcc_ext_id, error))
      return FALSE;
    feeder = self->elements.pay;
    self->ssrc = g_random_int ();
    g_object_set (feeder, "ssrc", self->ssrc, NULL);
  }
  configure_ice (self);
  time_reports_by_capture (self->webrtc);
  return link_transceiver (self, feeder, offer, error);

  /* ERRORS */
no_elements:
  {
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN,
        "the WebRTC pipeline has no webrtcbin, rtpsrc, src, enc or pay0");
    return FALSE;
  }
}

void
webrtc_viewer_start (WebrtcViewer * self, const WebrtcMount * mount,
    WhepOffer * offer, WebrtcBroadcast * broadcast)
{
  GError *error = NULL;

  self->broadcast = broadcast;
  self->payload = offer->payload;
  /* The broadcast's packets carry no TWCC extension: a static mount's
   * bitrate follows nobody; receiver reports give its RTT and loss. */
  self->twcc_ext_id = broadcast != NULL ? 0 : offer->twcc_ext_id;
  self->media_index = offer->media_index;
  if (!build_pipeline (self, mount, offer, &error))
    goto failed;
  if (broadcast == NULL) {
    self->own_encoder = encoder_new (NULL, mount->bitrate_kbps);
    encoder_configure (self->own_encoder, NULL, &self->elements);
    encoder_start_measure (self->own_encoder, self->context->protocol,
        self->mount, self->elements.pay);
  }

  self->bus_watch = gst_bus_add_watch (GST_ELEMENT_BUS (self->pipeline),
      on_bus_message, self);
  g_signal_connect (self->webrtc, "notify::ice-gathering-state",
      G_CALLBACK (on_gathering_state), self);
  g_signal_connect (self->webrtc, "notify::connection-state",
      G_CALLBACK (on_connection_state), self);
  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE)
    goto not_playing;
  if (self->own_encoder != NULL
      && !encoder_subscribe (self->own_encoder, self->context->source, &error))
    goto failed;

  if (self->broadcast != NULL)
    webrtc_broadcast_add (self->broadcast, self->rtp_src);
  self->offer = g_steal_pointer (&offer->sdp);
  negotiate (self);
  self->check_timeout = g_timeout_add_seconds (CHECK_INTERVAL_S, on_check,
      self);
  whep_offer_clear (offer);
  return;

  /* ERRORS */
not_playing:
  {
    g_set_error (&error, GST_CORE_ERROR, GST_CORE_ERROR_STATE_CHANGE,
        "the WebRTC pipeline would not start");
    goto failed;
  }
failed:
  {
    emit_refused (self, 500, "pipeline", error->message);
    protocol_emit_error (self->context->protocol, "pipeline", error->message,
        NULL);
    g_error_free (error);
    whep_offer_clear (offer);
    webrtc_viewer_end (self, "closed");
    return;
  }
}

/* ---- as a Viewer ---- */

static guint
webrtc_viewer_id (Viewer * viewer)
{
  return WEBRTC_VIEWER (viewer)->id;
}

static void
webrtc_viewer_add_to_record (Viewer * viewer, Record * record)
{
  add_identity (WEBRTC_VIEWER (viewer), record);
}

/* Its RTCP comes through ICE, from its own RTP session: never by address. */
static gboolean
webrtc_viewer_sends_rtcp_from (Viewer * viewer G_GNUC_UNUSED,
    const gchar * address G_GNUC_UNUSED, guint port G_GNUC_UNUSED)
{
  return FALSE;
}

/* SRTCP: only its peer can send on its session, and DTLS vouched for it. */
static ViewerRtcp
webrtc_viewer_take_rtcp (Viewer * viewer G_GNUC_UNUSED,
    gsize bytes G_GNUC_UNUSED, gint64 now_us G_GNUC_UNUSED)
{
  return VIEWER_RTCP_TAKEN;
}

static gboolean
webrtc_viewer_play (Viewer * viewer, ViewerPlay * play)
{
  WebrtcViewer *self = WEBRTC_VIEWER (viewer);
  gboolean known;

  g_mutex_lock (&self->lock);
  known = self->positioned;
  play->client_id = self->id;
  play->transport = "webrtc";
  play->positioned = self->positioned;
  play->play_seq = self->play_seq;
  play->play_packets = self->play_packets;
  g_mutex_unlock (&self->lock);
  return known;
}

/* Its encoder follows it: nothing to pace. */
static void
webrtc_viewer_pace (Viewer * viewer G_GNUC_UNUSED, guint encoder G_GNUC_UNUSED,
    guint bitrate_kbps G_GNUC_UNUSED)
{
}

static void
webrtc_viewer_disconnect (Viewer * viewer)
{
  on_main (WEBRTC_VIEWER (viewer), end_closed);
}

static void
viewer_iface_init (ViewerInterface * iface)
{
  iface->id = webrtc_viewer_id;
  iface->add_to_record = webrtc_viewer_add_to_record;
  iface->sends_rtcp_from = webrtc_viewer_sends_rtcp_from;
  iface->take_rtcp = webrtc_viewer_take_rtcp;
  iface->play = webrtc_viewer_play;
  iface->pace = webrtc_viewer_pace;
  iface->disconnect = webrtc_viewer_disconnect;
}

/* ---- the rest ---- */

WebrtcBroadcast *
webrtc_viewer_broadcast (WebrtcViewer * viewer)
{
  return viewer->broadcast;
}

const gchar *
webrtc_viewer_token (WebrtcViewer * viewer)
{
  return viewer->token;
}

const gchar *
webrtc_viewer_mount (WebrtcViewer * viewer)
{
  return viewer->mount;
}

const gchar *
webrtc_viewer_address (WebrtcViewer * viewer)
{
  return viewer->address;
}

gboolean
webrtc_viewer_set_bitrate (WebrtcViewer * viewer, guint encoder,
    guint bitrate_kbps)
{
  guint applied;

  if (viewer->own_encoder == NULL
      || (encoder != 0 && encoder_id (viewer->own_encoder) != encoder))
    return FALSE;
  if (encoder_set_bitrate (viewer->own_encoder, bitrate_kbps, &applied))
    encoder_emit_bitrate (viewer->context->protocol, viewer->mount,
        encoder_id (viewer->own_encoder), applied, bitrate_kbps);
  return TRUE;
}

WebrtcViewer *
webrtc_viewer_new (const WebrtcContext * context, guint id,
    const gchar * token, const gchar * address, const gchar * user_agent,
    const gchar * mount, WebrtcViewerEnded ended, gpointer user_data)
{
  WebrtcViewer *viewer = g_object_new (WEBRTC_TYPE_VIEWER, NULL);

  viewer->context = context;
  viewer->mount = g_strdup (mount);
  viewer->id = id;
  viewer->token = g_strdup (token);
  viewer->address = g_strdup (address);
  viewer->user_agent = g_strdup (user_agent);
  viewer->ended = ended;
  viewer->ended_data = user_data;
  viewer->started_us = g_get_monotonic_time ();
  viewers_add (context->viewers, HELPER_VIEWER (viewer));
  emit_client (viewer, "connected");
  return viewer;
}

static void
webrtc_viewer_finalize (GObject * object)
{
  WebrtcViewer *self = WEBRTC_VIEWER (object);

  g_free (self->token);
  g_free (self->address);
  g_free (self->user_agent);
  g_free (self->mount);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (webrtc_viewer_parent_class)->finalize (object);
}

static void
webrtc_viewer_class_init (WebrtcViewerClass * klass)
{
  G_OBJECT_CLASS (klass)->finalize = webrtc_viewer_finalize;
}

static void
webrtc_viewer_init (WebrtcViewer * self)
{
  g_mutex_init (&self->lock);
}
