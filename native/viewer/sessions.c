#include "viewer/sessions.h"

#include "viewer/client-records.h"
#include "mount/mounts.h"
#include "server/requests.h"
#include "viewer/skip.h"

/* Which mount a session plays (the MountFactory, which outlives it). */
#define SESSION_MOUNT_KEY "rtsp-helper-mount"

/* A new session's owner and mount, and the sessions counted against each. */
typedef struct
{
  MountFactory *mount;
  const gchar *address;
  guint of_mount;
  guint of_address;
} SessionCount;

static GstRTSPFilterResult
remove_owned_session (GstRTSPSessionPool * pool G_GNUC_UNUSED,
    GstRTSPSession * session, gpointer user_data)
{
  return g_object_get_data (G_OBJECT (session), CLIENT_INFO_KEY) == user_data
      ? GST_RTSP_FILTER_REMOVE : GST_RTSP_FILTER_KEEP;
}

void
sessions_end_owned (GstRTSPClient * client, ClientInfo * info)
{
  GstRTSPSessionPool *pool = gst_rtsp_client_get_session_pool (client);

  if (pool == NULL)
    return;
  g_list_free (gst_rtsp_session_pool_filter (pool, remove_owned_session,
          info));
  g_object_unref (pool);
}

static void
on_new_session (GstRTSPClient * client, GstRTSPSession * session,
    gpointer user_data)
{
  App *app = user_data;
  ClientInfo *info = g_object_get_data (G_OBJECT (client), CLIENT_INFO_KEY);

  gst_rtsp_session_set_timeout (session, app->config.session_timeout);
  /* Made by a SETUP, whose request is the current context's. */
  g_object_set_data (G_OBJECT (session), SESSION_MOUNT_KEY,
      mounts_of_request (app->mounts, gst_rtsp_context_get_current ()));
  if (info == NULL)
    return;
  g_object_set_data_full (G_OBJECT (session), CLIENT_INFO_KEY,
      g_atomic_rc_box_acquire (info), client_info_release);
  g_mutex_lock (&app->lock);
  info->sessions++;
  g_mutex_unlock (&app->lock);
}

static GstRTSPFilterResult
count_session (GstRTSPSessionPool * pool G_GNUC_UNUSED,
    GstRTSPSession * session, gpointer user_data)
{
  SessionCount *count = user_data;
  ClientInfo *owner = g_object_get_data (G_OBJECT (session), CLIENT_INFO_KEY);

  if (g_object_get_data (G_OBJECT (session), SESSION_MOUNT_KEY)
      == count->mount)
    count->of_mount++;
  if (owner != NULL && g_strcmp0 (owner->address, count->address) == 0)
    count->of_address++;
  return GST_RTSP_FILTER_KEEP;
}

/* A SETUP that would open one session too many on its mount (each mount
 * has --max-viewers), or from its client's address. Client thread: the
 * one client thread makes sessions one at a time. */
static GstRTSPStatusCode
on_pre_setup_request (GstRTSPClient * client, GstRTSPContext * ctx,
    gpointer user_data)
{
  App *app = user_data;
  ClientInfo *info = g_object_get_data (G_OBJECT (client), CLIENT_INFO_KEY);
  SessionCount count = {.mount = mounts_of_request (app->mounts, ctx) };
  GstRTSPSessionPool *pool;

  if (ctx->session != NULL || info == NULL)
    return GST_RTSP_STS_OK;
  pool = gst_rtsp_client_get_session_pool (client);
  if (pool == NULL)
    return GST_RTSP_STS_OK;
  count.address = info->address;
  g_list_free (gst_rtsp_session_pool_filter (pool, count_session, &count));
  g_object_unref (pool);
  if (count.of_mount >= (guint) app->config.max_viewers)
    return requests_refuse (info, GST_RTSP_STS_NOT_ENOUGH_BANDWIDTH,
        "max_viewers");
  if (count.of_address >= (guint) app->config.max_viewers_per_address)
    return requests_refuse (info, GST_RTSP_STS_NOT_ENOUGH_BANDWIDTH,
        "max_viewers_per_address");
  return GST_RTSP_STS_OK;
}

/* Any thread; only those removed by on_cleanup_timeout() timed out. */
static void
on_session_removed (GstRTSPSessionPool * pool G_GNUC_UNUSED,
    GstRTSPSession * session, gpointer user_data)
{
  App *app = user_data;
  ClientInfo *info = g_object_get_data (G_OBJECT (session), CLIENT_INFO_KEY);

  if (info == NULL)
    return;
  g_mutex_lock (&app->lock);
  info->sessions--;
  g_mutex_unlock (&app->lock);
  skip_forget (app, info);
  if (!g_main_context_is_owner (NULL) || !app->in_cleanup)
    return;
  client_records_stop_playing (app, info);
  client_records_emit (app, "timeout", info);
}

/* The server never reaps sessions of viewers that vanished by itself. */
static gboolean
on_cleanup_timeout (gpointer user_data)
{
  App *app = user_data;
  GstRTSPSessionPool *pool = gst_rtsp_server_get_session_pool (app->server);

  app->in_cleanup = TRUE;
  gst_rtsp_session_pool_cleanup (pool);
  app->in_cleanup = FALSE;
  g_object_unref (pool);
  return G_SOURCE_CONTINUE;
}

void
sessions_watch_client (App * app, GstRTSPClient * client)
{
  g_signal_connect (client, "pre-setup-request",
      G_CALLBACK (on_pre_setup_request), app);
  g_signal_connect (client, "new-session", G_CALLBACK (on_new_session), app);
}

void
sessions_watch (App * app)
{
  GstRTSPSessionPool *pool = gst_rtsp_server_get_session_pool (app->server);

  g_signal_connect (pool, "session-removed", G_CALLBACK (on_session_removed),
      app);
  /* A backstop: the checks above come first. */
  gst_rtsp_session_pool_set_max_sessions (pool, app->config.max_viewers
      * app->mounts->count);
  g_object_unref (pool);
  app->cleanup_timeout = g_timeout_add_seconds (app->config.cleanup_interval,
      on_cleanup_timeout, app);
}

void
sessions_unwatch (App * app)
{
  g_clear_handle_id (&app->cleanup_timeout, g_source_remove);
}
