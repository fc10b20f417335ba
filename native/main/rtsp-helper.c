/* rtsp-helper: serves one video file, looped as a live H.264 stream, at one
 * RTSP mount on one port. Driven over stdin/stdout by the supervisor; the
 * contract is docs/protocol.md. */

#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <glib-unix.h>

#include "server/admission.h"
#include "main/app.h"
#include "auth/auth.h"
#include "viewer/clients.h"
#include "link/commands.h"
#include "link/crash-report.h"
#include "source/decode-pipeline.h"
#include "server/guard.h"
#include "mount/media-launch.h"
#include "mount/mounts.h"
#include "source/source.h"
#include "main/options.h"

/* gst-rtsp-server listens with a backlog of 5: a burst of connections
 * would be reset. */
#define LISTEN_BACKLOG 128

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
  if (config->adaptive_mount != NULL)
    record_add_string (record, "adaptive_mount", config->adaptive_mount);
  record_add_boolean (record, "auth", config->auth_user != NULL);
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

static gboolean
on_signal (gpointer user_data)
{
  App *app = user_data;

  app_quit (app, "signal", EXIT_OK);
  return G_SOURCE_CONTINUE;
}

/* The helper's mounts, in the order of their options, on one decode. */
static void
add_mounts (App * app)
{
  const HelperConfig *config = &app->config;
  MountSettings settings[MAX_MOUNTS] = {
    {.path = config->mount,.adaptive = config->adaptive,
          .max_encoders = config->adaptive ? (guint) config->max_encoders : 0,
        .bitrate_kbps = (guint) config->bitrate_kbps},
    {.path = config->adaptive_mount,.adaptive = TRUE,
          .max_encoders = (guint) config->max_encoders,
        .bitrate_kbps = (guint) config->adaptive_bitrate_kbps},
  };
  GstRTSPMountPoints *points = gst_rtsp_server_get_mount_points (app->server);

  app->source = source_new (app);
  for (guint i = 0; i < MAX_MOUNTS; i++) {
    MountFactory *factory;

    if (settings[i].path == NULL)
      continue;
    factory = mount_factory_new (app, app->source, &settings[i]);
    app->mounts->factory[app->mounts->count++] = factory;
    gst_rtsp_mount_points_add_factory (points, settings[i].path,
        GST_RTSP_MEDIA_FACTORY (g_object_ref (factory)));
  }
  g_object_unref (points);
}

static gboolean
start_server (App * app)
{
  const HelperConfig *config = &app->config;
  gchar *service;
  GError *error = NULL;

  app->server = gst_rtsp_server_new ();
  service = g_strdup_printf ("%d", config->port);
  gst_rtsp_server_set_address (app->server, config->host);
  gst_rtsp_server_set_service (app->server, service);
  gst_rtsp_server_set_backlog (app->server, LISTEN_BACKLOG);
  /* Above it: 413 and a close. Without it, a Content-Length of 4 GB is
   * allocated as soon as the headers arrive. */
  gst_rtsp_server_set_content_length_limit (app->server, MAX_BODY_BYTES);
  g_free (service);

  add_mounts (app);
  auth_configure (app);

  /* Unlike gst_rtsp_server_attach(), says why it could not listen. */
  if (!admission_listen (app, &error))
    goto listen_failed;
  guard_start (app);
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
  g_clear_handle_id (&app->sigint_watch, g_source_remove);
  g_clear_handle_id (&app->sigterm_watch, g_source_remove);
  clients_unwatch (app);
  admission_unlisten (app);
  guard_stop (app);
  if (app->server != NULL) {
    app_disconnect_viewers (app);
    clients_wait_closed (app);
    for (guint i = 0; i < app->mounts->count; i++)
      mount_factory_stop (app->mounts->factory[i]);
  }
  mounts_clear (app->mounts);
  g_clear_pointer (&app->source, source_unref);
  g_clear_object (&app->server);
}

/* Static, not on main()'s stack: RTSP client threads may still finish up
 * (and call back with it) while the process exits. Zeroed static storage
 * also makes its mutex and cond valid without init or clear. */
static App app;
static Mounts mounts;

int
main (int argc, char *argv[])
{
  gchar *launch = NULL;
  GError *error = NULL;

  limit_malloc_arenas ();
  /* Never outlive a supervisor killed with SIGKILL. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
  /* A closed stdout must not kill us before stdin's EOF stops us. */
  signal (SIGPIPE, SIG_IGN);

  protocol_init (&app.protocol, STDOUT_FILENO);
  g_set_print_handler (print_to_stderr);
  crash_report_install (STDOUT_FILENO);
  app.mounts = &mounts;
  app.loop = g_main_loop_new (NULL, FALSE);
  emit_hello (&app);

  if (!options_parse (&app, &argc, &argv))
    goto usage;

  launch = media_launch_new (&app.config, app.config.bitrate_kbps);
  if (!media_launch_check (launch, &error) || !decode_pipeline_check (&error))
    goto missing_elements;
  if (!commands_watch_stdin (&app, &error))
    goto no_stdin;
  if (!start_server (&app))
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
  options_clear (&app.config);
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
