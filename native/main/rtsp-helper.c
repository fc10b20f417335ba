/* rtsp-helper: serves one video file, looped as a live H.264 stream, at one
 * or two RTSP mounts on one port. Driven over stdin/stdout by the
 * supervisor; the contract is docs/protocol.md. This file is the
 * composition root: it makes every object and hands each the few others
 * it needs (docs/native.md draws them). */

#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <glib-unix.h>

#include "auth/auth.h"
#include "link/commands.h"
#include "link/crash-report.h"
#include "link/heartbeat.h"
#include "main/options.h"
#include "encoder/media-launch.h"
#include "mount/mounts.h"
#include "server/server.h"
#include "source/decode-pipeline.h"
#include "viewer/tcp-watch.h"
#include "webrtc/webrtc-sessions.h"

#define EXIT_OK 0
#define EXIT_USAGE 2
#define EXIT_LISTEN_FAILED 3
#define EXIT_FATAL 4

typedef struct
{
  HelperConfig config;
  Protocol protocol;
  GMainLoop *loop;
  Viewers *viewers;
  Source *source;
  Mounts mounts;
  HelperSessionPool *sessions;
  Heartbeat *heartbeat;
  GstRTSPAuth *auth;
  HelperServer *server;
  WebrtcContext webrtc;
  WebrtcSessions *webrtc_sessions;
  TcpWatch *tcp_watch;
  Commands *commands;
  guint sigint_watch;
  guint sigterm_watch;
  const gchar *bye_reason;      /* set once, by the first stop request */
  gint exit_code;
} Helper;

/* Static, not on main()'s stack: RTSP client threads may still finish up
 * (and call back with it) while the process exits; records may come from
 * any thread until then. */
static Helper helper;

/* glibc gives each thread that allocates an arena of its own, up to 8 per
 * core, and keeps what is freed in each: under churn (viewers coming and
 * going, each with its own media and threads) the resident size grew while
 * the heap in use stayed flat; with one arena per core it stays flat too,
 * for the same CPU (docs/benchmarks.md, "Helper memory under churn"). An
 * operator's MALLOC_ARENA_MAX wins. */
static void
limit_malloc_arenas (void)
{
  if (g_getenv ("MALLOC_ARENA_MAX") == NULL)
    mallopt (M_ARENA_MAX, MAX (2, g_get_num_processors ()));
}

/* stdout carries records only: gst-rtsp-server prints some requests whole
 * with g_print() (a SETUP with Accept-Ranges: gst_rtsp_message_dump()). */
static void
print_to_stderr (const gchar * text)
{
  fputs (text, stderr);
}

/* Stops the main loop; the first reason given wins. */
static void
quit (const gchar * reason, gint exit_code)
{
  if (helper.bye_reason == NULL) {
    helper.bye_reason = reason;
    helper.exit_code = exit_code;
  }
  g_main_loop_quit (helper.loop);
}

static void
emit_hello (void)
{
  Record *record = record_new ("hello");
  guint major, minor, micro, nano;
  gchar *version;

  gst_version (&major, &minor, &micro, &nano);
  version = g_strdup_printf ("%u.%u.%u", major, minor, micro);
  record_add_int (record, "protocol", PROTOCOL_VERSION);
  record_add_int (record, "pid", getpid ());
  record_add_string (record, "gst_version", version);
  record_emit (&helper.protocol, record);
  g_free (version);
}

static void
emit_ready (void)
{
  const HelperConfig *config = &helper.config;
  Record *record = record_new ("ready");
  gchar *url = g_strdup_printf ("rtsp://%s:%d%s", config->host, config->port,
      config->mount);

  record_add_string (record, "host", config->host);
  record_add_int (record, "port", config->port);
  record_add_string (record, "mount", config->mount);
  record_add_string (record, "url", url);
  if (config->adaptive_mount != NULL)
    record_add_string (record, "adaptive_mount", config->adaptive_mount);
  record_add_boolean (record, "auth", config->credentials.user != NULL);
  record_emit (&helper.protocol, record);
  g_free (url);
}

static void
emit_bye (void)
{
  Record *record = record_new ("bye");

  record_add_string (record, "reason", helper.bye_reason);
  record_add_int (record, "exit_code", helper.exit_code);
  record_emit (&helper.protocol, record);
}

static gboolean
on_signal (gpointer user_data G_GNUC_UNUSED)
{
  quit ("signal", EXIT_OK);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_set_bitrate (guint encoder, guint kbps, gpointer user_data G_GNUC_UNUSED)
{
  /* Both: encoder 0 is every encoder of either kind. */
  gboolean of_mounts = mounts_set_bitrate (&helper.mounts, encoder, kbps);
  gboolean of_webrtc = webrtc_sessions_set_bitrate (helper.webrtc_sessions,
      encoder, kbps);

  return of_mounts || of_webrtc;
}

static void
on_whep_offer (const gchar * token, const gchar * mount, const gchar * address,
    const gchar * user_agent, const gchar * sdp, gsize size,
    gpointer user_data G_GNUC_UNUSED)
{
  webrtc_sessions_offer (helper.webrtc_sessions, token, mount, address,
      user_agent, sdp, size);
}

static gboolean
on_whep_close (const gchar * token, gpointer user_data G_GNUC_UNUSED)
{
  return webrtc_sessions_close (helper.webrtc_sessions, token);
}

static void
on_quit (const gchar * reason, gpointer user_data G_GNUC_UNUSED)
{
  quit (reason, EXIT_OK);
}

/* The decode failed after feeding viewers: they cannot play on. */
static void
on_source_lost (gpointer user_data G_GNUC_UNUSED)
{
  helper_server_disconnect_viewers (helper.server);
}

static void
on_session_ended (Viewer * owner, gpointer user_data G_GNUC_UNUSED)
{
  if (RTSP_IS_VIEWER (owner))
    rtsp_viewer_session_ended (RTSP_VIEWER (owner));
}

static void
on_session_timed_out (Viewer * owner, gpointer user_data G_GNUC_UNUSED)
{
  if (RTSP_IS_VIEWER (owner))
    rtsp_viewer_timed_out (RTSP_VIEWER (owner));
}

/* The helper's mounts, in the order of their options, on one decode. */
static void
make_mounts (void)
{
  const HelperConfig *config = &helper.config;
  MountSettings settings[MAX_MOUNTS] = {
    {.path = config->mount,.adaptive = config->adaptive,
          .max_encoders = config->adaptive ? (guint) config->max_encoders : 0,
        .bitrate_kbps = (guint) config->bitrate_kbps},
    {.path = config->adaptive_mount,.adaptive = TRUE,
          .max_encoders = (guint) config->max_encoders,
        .bitrate_kbps = (guint) config->adaptive_bitrate_kbps},
  };

  for (guint i = 0; i < MAX_MOUNTS; i++) {
    MountFactory *factory;

    if (settings[i].path == NULL)
      continue;
    settings[i].encoder_preset = config->encoder_preset;
    settings[i].fps = config->fps;
    settings[i].audio = config->audio;
    settings[i].host = config->host;
    factory = mount_factory_new (&settings[i], &helper.protocol,
        helper.source, helper.viewers, helper.heartbeat);
    if (helper.auth != NULL)
      helper_auth_protect (GST_RTSP_MEDIA_FACTORY (factory));
    helper.mounts.factory[helper.mounts.count++] = factory;
  }
}

static void
mount_on (HelperServer * server)
{
  GstRTSPMountPoints *points =
      gst_rtsp_server_get_mount_points (GST_RTSP_SERVER (server));

  for (guint i = 0; i < helper.mounts.count; i++) {
    MountFactory *factory = helper.mounts.factory[i];

    gst_rtsp_mount_points_add_factory (points, mount_factory_path (factory),
        GST_RTSP_MEDIA_FACTORY (g_object_ref (factory)));
  }
  g_object_unref (points);
}

/* Everything but stdin, and nothing listens yet. */
static void
make_objects (void)
{
  const HelperConfig *config = &helper.config;
  WebrtcContext *webrtc = &helper.webrtc;
  ProducerConfig producer = {
    .file = config->file,
    .width = config->width,
    .height = config->height,
    .fps = config->fps,
    .audio = config->audio,
    .uri = config->uri,
  };
  LiveSettings live = {
    .linger_s = (guint) config->linger_s,
    .always_on = config->always_on,
  };
  SessionLimits limits = {
    .session_timeout_s = (guint) config->session_timeout,
    .cleanup_interval_s = (guint) config->cleanup_interval,
    .max_viewers = (guint) config->max_viewers,
    .max_viewers_per_address = (guint) config->max_viewers_per_address,
    .mounts = config->adaptive_mount != NULL ? 2 : 1,
  };
  ServerSettings settings = {
    .host = config->host,
    .port = config->port,
    .max_connections = (guint) config->max_connections,
    .transport_policy = config->transport_policy,
    .guard = guard_limits_new (config->idle_timeout),
  };

  helper.viewers = viewers_new ();
  helper.source =
      source_new (&producer, &live, &helper.protocol, on_source_lost, NULL);
  helper.sessions =
      helper_session_pool_new (&limits, on_session_ended, on_session_timed_out,
      NULL);
  helper.heartbeat =
      heartbeat_new (&helper.protocol, helper.viewers,
      GST_RTSP_SESSION_POOL (helper.sessions));
  helper.auth = helper_auth_new (&config->credentials);
  make_mounts ();
  helper.server = helper_server_new (&settings, &helper.protocol,
      helper.viewers, &helper.mounts, helper.sessions, helper.auth);
  mount_on (helper.server);
  /* It lives in `helper`: its viewers keep a pointer to it. */
  webrtc->protocol = &helper.protocol;
  webrtc->viewers = helper.viewers;
  webrtc->source = helper.source;
  webrtc->encoder_preset = config->encoder_preset;
  webrtc->fps = config->fps;
  webrtc->host = config->host;
  webrtc->min_port = config->webrtc_min_port;
  webrtc->max_port = config->webrtc_max_port;
  webrtc->ice_servers = config->ice_servers;
  webrtc->connect_timeout_s = (guint) config->webrtc_connect_timeout_s;
  webrtc->rtx = !config->webrtc_no_rtx;
  helper.webrtc_sessions =
      webrtc_sessions_new (&helper.webrtc, &helper.mounts, helper.sessions,
      helper.server);
}

static gboolean
start (GError ** error)
{
  const HelperConfig *config = &helper.config;

  if (!helper_server_listen (helper.server, error))
    goto listen_failed;
  helper.tcp_watch = tcp_watch_start (helper.viewers);
  heartbeat_start (helper.heartbeat);
  if (config->always_on && !source_keep_on (helper.source, error))
    goto no_source;
  helper.sigint_watch = g_unix_signal_add (SIGINT, on_signal, NULL);
  helper.sigterm_watch = g_unix_signal_add (SIGTERM, on_signal, NULL);
  return TRUE;

  /* ERRORS */
listen_failed:
  {
    gchar *message = g_strdup_printf ("cannot listen on %s:%d: %s",
        config->host, config->port, (*error)->message);

    protocol_emit_error (&helper.protocol, "listen_failed", message, NULL);
    g_free (message);
    return FALSE;
  }
no_source:
  {
    protocol_emit_error (&helper.protocol, "pipeline", (*error)->message, NULL);
    return FALSE;
  }
}

/* In the reverse order of their making. */
static void
stop (void)
{
  g_clear_pointer (&helper.commands, commands_free);
  g_clear_handle_id (&helper.sigint_watch, g_source_remove);
  g_clear_handle_id (&helper.sigterm_watch, g_source_remove);
  g_clear_pointer (&helper.tcp_watch, tcp_watch_stop);
  if (helper.heartbeat != NULL)
    heartbeat_stop (helper.heartbeat);
  g_clear_pointer (&helper.webrtc_sessions, webrtc_sessions_free);
  if (helper.server != NULL)
    helper_server_stop (helper.server);
  mounts_stop (&helper.mounts);
  mounts_clear (&helper.mounts);
  g_clear_object (&helper.server);
  g_clear_object (&helper.auth);
  g_clear_object (&helper.sessions);
  g_clear_pointer (&helper.source, source_unref);
  /* The registry and the heartbeat live as long as the process: medias and
   * clients may still end on their own threads, and tell them, until it
   * exits. */
}

int
main (int argc, char *argv[])
{
  static const CommandHandlers handlers = {
    .set_bitrate = on_set_bitrate,
    .whep_offer = on_whep_offer,
    .whep_close = on_whep_close,
    .quit = on_quit,
  };
  gchar *launch = NULL;
  GError *error = NULL;

  limit_malloc_arenas ();
  /* Never outlive a supervisor killed with SIGKILL. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
  /* A closed stdout must not kill us before stdin's EOF stops us. */
  signal (SIGPIPE, SIG_IGN);

  protocol_init (&helper.protocol, STDOUT_FILENO);
  g_set_print_handler (print_to_stderr);
  crash_report_install (STDOUT_FILENO);
  helper.loop = g_main_loop_new (NULL, FALSE);
  emit_hello ();

  if (!options_parse (&helper.config, &helper.protocol, &argc, &argv))
    goto usage;

  launch = media_launch_new (helper.config.encoder_preset, helper.config.fps,
      helper.config.bitrate_kbps, helper.config.audio);
  if (!media_launch_check (launch, &error) || !decode_pipeline_check (&error)
      || !audio_codec_check (helper.config.audio, &error))
    goto missing_elements;
  helper.commands = commands_new (&helper.protocol, &handlers, NULL, &error);
  if (helper.commands == NULL)
    goto no_stdin;
  make_objects ();
  if (!start (&error))
    goto listen_failed;

  emit_ready ();
  g_main_loop_run (helper.loop);

done:
  stop ();
  emit_bye ();
  g_free (launch);
  options_clear (&helper.config);
  g_main_loop_unref (helper.loop);
  return helper.exit_code;

  /* ERRORS */
usage:
  {
    quit ("error", EXIT_USAGE);
    goto done;
  }
missing_elements:
  {
    protocol_emit_error (&helper.protocol, "pipeline", error->message, NULL);
    g_error_free (error);
    quit ("error", EXIT_FATAL);
    goto done;
  }
no_stdin:
  {
    protocol_emit_error (&helper.protocol, "internal", error->message, NULL);
    g_error_free (error);
    quit ("error", EXIT_FATAL);
    goto done;
  }
listen_failed:
  {
    g_error_free (error);
    quit ("error", EXIT_LISTEN_FAILED);
    goto done;
  }
}
