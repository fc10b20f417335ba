/* rtsp-helper: serves one video file, looped as a live H.264 stream, at one
 * RTSP mount on one port. Driven over stdin/stdout by the supervisor; the
 * contract is docs/protocol.md. */

#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <glib-unix.h>

#include "app.h"
#include "clients.h"
#include "commands.h"
#include "media.h"
#include "producer.h"

#define DEFAULT_HOST "127.0.0.1"
#define DEFAULT_BITRATE_KBPS 5000
#define DEFAULT_WIDTH 640
#define DEFAULT_HEIGHT 480
#define DEFAULT_FPS 0
#define DEFAULT_CLEANUP_INTERVAL 2
#define DEFAULT_SESSION_TIMEOUT 60
#define DEFAULT_MAX_VIEWERS 20

/* gst-rtsp-server listens with a backlog of 5: a burst of connections
 * would be reset. */
#define LISTEN_BACKLOG 128

#define MAX_SIZE 8192
#define MAX_FPS 240
#define MAX_CLEANUP_INTERVAL 3600
#define MAX_SESSION_TIMEOUT 3600
#define MAX_VIEWERS 10000

void
app_quit (App * app, const gchar * reason, gint exit_code)
{
  if (app->bye_reason == NULL) {
    app->bye_reason = reason;
    app->exit_code = exit_code;
  }
  g_main_loop_quit (app->loop);
}

static void
emit_usage_error (App * app, const gchar * format, ...) G_GNUC_PRINTF (2, 3);

static void
emit_usage_error (App * app, const gchar * format, ...)
{
  va_list args;
  gchar *message;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  protocol_emit_error (&app->protocol, "usage", message, NULL);
  g_free (message);
}

static void
emit_hello (App * app)
{
  Record *record = record_new ("hello");
  guint major, minor, micro, nano;
  gchar *version;

  gst_version (&major, &minor, &micro, &nano);
  version = g_strdup_printf ("%u.%u.%u", major, minor, micro);
  record_add_int (record, "protocol", PROTOCOL_VERSION);
  record_add_int (record, "pid", getpid ());
  record_add_string (record, "gst_version", version);
  record_emit (&app->protocol, record);
  g_free (version);
}

static void
emit_ready (App * app)
{
  const HelperConfig *config = &app->config;
  Record *record = record_new ("ready");
  gchar *url = g_strdup_printf ("rtsp://%s:%d%s", config->host, config->port,
      config->mount);

  record_add_string (record, "host", config->host);
  record_add_int (record, "port", config->port);
  record_add_string (record, "mount", config->mount);
  record_add_string (record, "url", url);
  record_emit (&app->protocol, record);
  g_free (url);
}

static void
emit_bye (App * app)
{
  Record *record = record_new ("bye");

  record_add_string (record, "reason", app->bye_reason);
  record_add_int (record, "exit_code", app->exit_code);
  record_emit (&app->protocol, record);
}

static gboolean
check_range (App * app, const gchar * option, gint value, gint min, gint max)
{
  if (value >= min && value <= max)
    return TRUE;
  emit_usage_error (app, "--%s must be between %d and %d, not %d", option,
      min, max, value);
  return FALSE;
}

static gboolean
check_even (App * app, const gchar * option, gint value)
{
  /* x264 encodes 4:2:0 only in whole chroma samples. */
  if (value % 2 == 0)
    return TRUE;
  emit_usage_error (app, "--%s must be even, not %d", option, value);
  return FALSE;
}

static gboolean
parse_options (App * app, gint * argc, gchar *** argv)
{
  HelperConfig *config = &app->config;
  GOptionEntry entries[] = {
    {"file", 'f', 0, G_OPTION_ARG_FILENAME, &config->file,
        "Video file to serve (required)", "PATH"},
    {"mount", 'm', 0, G_OPTION_ARG_STRING, &config->mount,
        "Mount path, starting with / (required)", "/video1"},
    {"port", 'p', 0, G_OPTION_ARG_INT, &config->port,
        "TCP port for RTSP (required)", "PORT"},
    {"host", 0, 0, G_OPTION_ARG_STRING, &config->host,
        "Bind address (default: " DEFAULT_HOST ")", "ADDRESS"},
    {"bitrate", 'b', 0, G_OPTION_ARG_INT, &config->bitrate_kbps,
        "Initial encoder bitrate in kbit/s (default: "
          G_STRINGIFY (DEFAULT_BITRATE_KBPS) ")", "KBPS"},
    {"width", 0, 0, G_OPTION_ARG_INT, &config->width,
        "Output width (default: " G_STRINGIFY (DEFAULT_WIDTH) ")", "W"},
    {"height", 0, 0, G_OPTION_ARG_INT, &config->height,
        "Output height (default: " G_STRINGIFY (DEFAULT_HEIGHT) ")", "H"},
    {"fps", 0, 0, G_OPTION_ARG_INT, &config->fps,
          "Output frame rate, 0 keeps the file's (default: "
          G_STRINGIFY (DEFAULT_FPS) ")", "FPS"},
    {"cleanup-interval", 0, 0, G_OPTION_ARG_INT, &config->cleanup_interval,
          "Seconds between session-pool cleanups (default: "
          G_STRINGIFY (DEFAULT_CLEANUP_INTERVAL) ")", "SECONDS"},
    {"session-timeout", 0, 0, G_OPTION_ARG_INT, &config->session_timeout,
          "Seconds a viewer may stay silent before its session is reaped "
          "(default: " G_STRINGIFY (DEFAULT_SESSION_TIMEOUT) ")", "SECONDS"},
    {"max-viewers", 0, 0, G_OPTION_ARG_INT, &config->max_viewers,
          "Sessions at once; more are refused with 453 (default: "
          G_STRINGIFY (DEFAULT_MAX_VIEWERS) ")", "N"},
    {NULL}
  };
  GOptionContext *context;
  GError *error = NULL;
  gboolean parsed;

  config->port = -1;
  config->bitrate_kbps = DEFAULT_BITRATE_KBPS;
  config->width = DEFAULT_WIDTH;
  config->height = DEFAULT_HEIGHT;
  config->fps = DEFAULT_FPS;
  config->cleanup_interval = DEFAULT_CLEANUP_INTERVAL;
  config->session_timeout = DEFAULT_SESSION_TIMEOUT;
  config->max_viewers = DEFAULT_MAX_VIEWERS;

  context = g_option_context_new ("- serve one video file over RTSP");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, gst_init_get_option_group ());
  parsed = g_option_context_parse (context, argc, argv, &error);
  g_option_context_free (context);
  if (!parsed)
    goto parse_failed;

  if (config->host == NULL)
    config->host = g_strdup (DEFAULT_HOST);

  if (*argc > 1) {
    emit_usage_error (app, "unexpected argument '%s'", (*argv)[1]);
    return FALSE;
  }
  if (config->file == NULL || config->mount == NULL || config->port == -1) {
    emit_usage_error (app, "--file, --mount and --port are required");
    return FALSE;
  }
  if (config->mount[0] != '/') {
    emit_usage_error (app, "--mount must start with /, not '%s'",
        config->mount);
    return FALSE;
  }
  return check_range (app, "port", config->port, 1, G_MAXUINT16)
      && check_range (app, "bitrate", config->bitrate_kbps, MIN_BITRATE_KBPS,
      MAX_BITRATE_KBPS)
      && check_range (app, "width", config->width, 2, MAX_SIZE)
      && check_range (app, "height", config->height, 2, MAX_SIZE)
      && check_even (app, "width", config->width)
      && check_even (app, "height", config->height)
      && check_range (app, "fps", config->fps, 0, MAX_FPS)
      && check_range (app, "cleanup-interval", config->cleanup_interval, 1,
      MAX_CLEANUP_INTERVAL)
      && check_range (app, "session-timeout", config->session_timeout, 1,
      MAX_SESSION_TIMEOUT)
      && check_range (app, "max-viewers", config->max_viewers, 1, MAX_VIEWERS);

  /* ERRORS */
parse_failed:
  {
    emit_usage_error (app, "%s", error->message);
    g_error_free (error);
    return FALSE;
  }
}

static gboolean
on_signal (gpointer user_data)
{
  App *app = user_data;

  app_quit (app, "signal", EXIT_OK);
  return G_SOURCE_CONTINUE;
}

static gboolean
start_server (App * app, const gchar * launch)
{
  const HelperConfig *config = &app->config;
  GstRTSPMountPoints *mounts;
  gchar *service;
  GError *error = NULL;

  app->server = gst_rtsp_server_new ();
  service = g_strdup_printf ("%d", config->port);
  gst_rtsp_server_set_address (app->server, config->host);
  gst_rtsp_server_set_service (app->server, service);
  gst_rtsp_server_set_backlog (app->server, LISTEN_BACKLOG);
  g_free (service);

  app->factory = gst_rtsp_media_factory_new ();
  gst_rtsp_media_factory_set_launch (app->factory, launch);
  /* One encoder per mount, whatever the number of viewers. */
  gst_rtsp_media_factory_set_shared (app->factory, TRUE);
  media_factory_configure (app->factory, app);

  mounts = gst_rtsp_server_get_mount_points (app->server);
  gst_rtsp_mount_points_add_factory (mounts, config->mount,
      g_object_ref (app->factory));
  g_object_unref (mounts);

  /* Unlike gst_rtsp_server_attach(), says why it could not listen. */
  app->server_source = gst_rtsp_server_create_source (app->server, NULL,
      &error);
  if (app->server_source == NULL)
    goto listen_failed;
  g_source_attach (app->server_source, NULL);
  return TRUE;

  /* ERRORS */
listen_failed:
  {
    gchar *message = g_strdup_printf ("cannot listen on %s:%d: %s",
        config->host, config->port, error->message);

    protocol_emit_error (&app->protocol, "listen_failed", message, NULL);
    g_free (message);
    g_error_free (error);
    return FALSE;
  }
}

static void
stop (App * app)
{
  commands_unwatch_stdin (app);
  if (app->sigint_watch != 0)
    g_source_remove (app->sigint_watch);
  if (app->sigterm_watch != 0)
    g_source_remove (app->sigterm_watch);
  clients_unwatch (app);
  if (app->server_source != NULL) {
    g_source_destroy (app->server_source);
    g_clear_pointer (&app->server_source, g_source_unref);
  }
  if (app->server != NULL) {
    app_disconnect_viewers (app);
    clients_wait_closed (app);
    media_stop (app);
  }
  g_clear_object (&app->factory);
  g_clear_object (&app->server);
}

/* Static, not on main()'s stack: RTSP client threads may still finish up
 * (and call back with it) while the process exits. Zeroed static storage
 * also makes its mutex and cond valid without init or clear. */
static App app;

int
main (int argc, char *argv[])
{
  gchar *launch = NULL;
  GError *error = NULL;

  /* Never outlive a supervisor killed with SIGKILL. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
  /* A closed stdout must not kill us before stdin's EOF stops us. */
  signal (SIGPIPE, SIG_IGN);

  protocol_init (&app.protocol, STDOUT_FILENO);
  app.loop = g_main_loop_new (NULL, FALSE);
  emit_hello (&app);

  if (!parse_options (&app, &argc, &argv))
    goto usage;
  app.bitrate_kbps = (guint) app.config.bitrate_kbps;

  launch = media_launch_new (&app.config);
  if (!media_check_launch (launch, &error) || !producer_check (&error))
    goto missing_elements;
  if (!commands_watch_stdin (&app, &error))
    goto no_stdin;
  if (!start_server (&app, launch))
    goto listen_failed;

  app.sigint_watch = g_unix_signal_add (SIGINT, on_signal, &app);
  app.sigterm_watch = g_unix_signal_add (SIGTERM, on_signal, &app);
  clients_watch (&app);

  emit_ready (&app);
  g_main_loop_run (app.loop);

done:
  stop (&app);
  emit_bye (&app);
  g_free (launch);
  g_free (app.config.file);
  g_free (app.config.mount);
  g_free (app.config.host);
  g_main_loop_unref (app.loop);
  return app.exit_code;

  /* ERRORS */
usage:
  {
    app_quit (&app, "error", EXIT_USAGE);
    goto done;
  }
missing_elements:
  {
    protocol_emit_error (&app.protocol, "pipeline", error->message, NULL);
    g_error_free (error);
    app_quit (&app, "error", EXIT_FATAL);
    goto done;
  }
no_stdin:
  {
    protocol_emit_error (&app.protocol, "internal", error->message, NULL);
    g_error_free (error);
    app_quit (&app, "error", EXIT_FATAL);
    goto done;
  }
listen_failed:
  {
    app_quit (&app, "error", EXIT_LISTEN_FAILED);
    goto done;
  }
}
