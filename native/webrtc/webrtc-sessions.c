#include "webrtc/webrtc-sessions.h"

#include "encoder/media-launch.h"
#include "webrtc/whep-reply.h"

struct _WebrtcSessions
{
  const WebrtcContext *context;
  const Mounts *mounts;
  HelperSessionPool *pool;
  HelperServer *server;
  GHashTable *by_token;         /* token -> WebrtcViewer, a reference */
  GList *broadcasts;            /* WebrtcBroadcast: static mounts', while
                                 * a viewer plays them */
  GMutex lock;                  /* the pool counts from client threads */
};

static void
emit_refused (WebrtcSessions * sessions, const gchar * token, guint status,
    const gchar * reason, const gchar * message)
{
  whep_reply_refused (sessions->context->protocol, token, status, reason,
      message);
}

/* Under the lock: whether a viewer still plays the broadcast. */
static gboolean
broadcast_in_use (WebrtcSessions * sessions, WebrtcBroadcast * broadcast)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, sessions->by_token);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (webrtc_viewer_broadcast (value) == broadcast)
      return TRUE;
  return FALSE;
}

static void
on_viewer_ended (WebrtcViewer * viewer, gpointer user_data)
{
  WebrtcSessions *sessions = user_data;
  WebrtcBroadcast *broadcast = webrtc_viewer_broadcast (viewer);
  MountFactory *factory = mounts_find (sessions->mounts,
      webrtc_viewer_mount (viewer));
  gboolean unused;

  if (broadcast == NULL && factory != NULL)
    mount_factory_release_encoder (factory);
  g_mutex_lock (&sessions->lock);
  g_hash_table_remove (sessions->by_token, webrtc_viewer_token (viewer));
  unused = broadcast != NULL && !broadcast_in_use (sessions, broadcast);
  if (unused)
    sessions->broadcasts = g_list_remove (sessions->broadcasts, broadcast);
  g_mutex_unlock (&sessions->lock);
  if (unused)
    webrtc_broadcast_free (broadcast);
}

/* The static mount's broadcast in the viewer's profile, made if need be;
 * NULL, with `error`, when it cannot be. */
static WebrtcBroadcast *
broadcast_for (WebrtcSessions * sessions, const WebrtcMount * mount,
    gboolean main_profile, GError ** error)
{
  WebrtcBroadcast *broadcast;

  for (GList * l = sessions->broadcasts; l != NULL; l = l->next) {
    broadcast = l->data;
    if (g_str_equal (webrtc_broadcast_mount (broadcast), mount->path)
        && webrtc_broadcast_main_profile (broadcast) == main_profile)
      return broadcast;
  }
  broadcast = webrtc_broadcast_new (sessions->context, mount, main_profile,
      error);
  if (broadcast != NULL) {
    g_mutex_lock (&sessions->lock);
    sessions->broadcasts = g_list_prepend (sessions->broadcasts, broadcast);
    g_mutex_unlock (&sessions->lock);
  }
  return broadcast;
}

/* Client threads and the main thread: the viewers of `mount` and those
 * from `address`, for the pool's limits. */
static void
count_viewers (MountFactory * mount, const gchar * address, guint * of_mount,
    guint * of_address, gpointer user_data)
{
  WebrtcSessions *sessions = user_data;
  const gchar *path = mount_factory_path (mount);
  GHashTableIter iter;
  gpointer value;

  g_mutex_lock (&sessions->lock);
  g_hash_table_iter_init (&iter, sessions->by_token);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    WebrtcViewer *viewer = value;

    if (g_strcmp0 (webrtc_viewer_mount (viewer), path) == 0)
      (*of_mount)++;
    if (g_strcmp0 (webrtc_viewer_address (viewer), address) == 0)
      (*of_address)++;
  }
  g_mutex_unlock (&sessions->lock);
}

void
webrtc_sessions_offer (WebrtcSessions * sessions, const gchar * token,
    const gchar * path, const gchar * address, const gchar * user_agent,
    const gchar * sdp, gsize size)
{
  MountFactory *factory = mounts_find (sessions->mounts, path);
  const gchar *refusal;
  WebrtcBroadcast *broadcast = NULL;
  WebrtcMount mount;
  WebrtcViewer *viewer;
  GError *error = NULL;
  WhepOffer offer;
  WhepOfferProblem problem;
  gchar *message = NULL;
  gboolean known;

  g_mutex_lock (&sessions->lock);
  known = g_hash_table_contains (sessions->by_token, token);
  g_mutex_unlock (&sessions->lock);
  if (known)
    goto known_token;
  if (factory == NULL)
    goto no_mount;
  if (!whep_offer_parse (sdp, size,
          media_launch_main_profile (sessions->context->encoder_preset),
          &offer, &problem, &message))
    goto bad_offer;
  refusal = helper_session_pool_refusal (sessions->pool, factory, address);
  if (refusal != NULL)
    goto full;

  mount.path = mount_factory_path (factory);
  mount.adaptive = mount_factory_is_adaptive (factory);
  mount.bitrate_kbps = mount_factory_start_bitrate (factory);
  if (!mount.adaptive && (broadcast = broadcast_for (sessions, &mount,
              offer.main_profile, &error)) == NULL)
    goto no_broadcast;
  if (mount.adaptive && !mount_factory_take_encoder (factory))
    goto no_encoder;
  viewer = webrtc_viewer_new (sessions->context,
      helper_server_next_client_id (sessions->server), token, address,
      user_agent, mount.path, on_viewer_ended, sessions);
  g_mutex_lock (&sessions->lock);
  g_hash_table_insert (sessions->by_token, g_strdup (token),
      g_object_ref (viewer));
  g_mutex_unlock (&sessions->lock);
  /* It may end at once (and leave the table), hence our own reference. */
  webrtc_viewer_start (viewer, &mount, &offer, broadcast);
  g_object_unref (viewer);
  return;

  /* ERRORS */
known_token:
  {
    emit_refused (sessions, token, 409, "session_exists",
        "a session with this token exists");
    return;
  }
no_mount:
  {
    message = g_strdup_printf ("no mount %s in this helper", path);
    emit_refused (sessions, token, 404, "no_mount", message);
    g_free (message);
    return;
  }
bad_offer:
  {
    if (problem == WHEP_OFFER_NO_H264)
      emit_refused (sessions, token, 406, "no_h264", message);
    else
      emit_refused (sessions, token, 400, "bad_offer", message);
    g_free (message);
    return;
  }
no_encoder:
  {
    message = g_strdup_printf ("%s has no encoder free (--encoders-per-video)",
        path);
    emit_refused (sessions, token, 503, "max_encoders", message);
    g_free (message);
    whep_offer_clear (&offer);
    return;
  }
no_broadcast:
  {
    emit_refused (sessions, token, 500, "pipeline", error->message);
    protocol_emit_error (sessions->context->protocol, "pipeline",
        error->message, NULL);
    g_error_free (error);
    whep_offer_clear (&offer);
    return;
  }
full:
  {
    message = g_strdup_printf ("%s is full (%s)", path, refusal);
    emit_refused (sessions, token, 503, refusal, message);
    g_free (message);
    whep_offer_clear (&offer);
    return;
  }
}

gboolean
webrtc_sessions_close (WebrtcSessions * sessions, const gchar * token)
{
  WebrtcViewer *viewer;

  g_mutex_lock (&sessions->lock);
  viewer = g_hash_table_lookup (sessions->by_token, token);
  if (viewer != NULL)
    g_object_ref (viewer);
  g_mutex_unlock (&sessions->lock);
  if (viewer == NULL)
    return FALSE;
  webrtc_viewer_end (viewer, "teardown");
  g_object_unref (viewer);
  return TRUE;
}

gboolean
webrtc_sessions_set_bitrate (WebrtcSessions * sessions, guint encoder,
    guint bitrate_kbps)
{
  GList *viewers, *l;
  gboolean found = FALSE;

  g_mutex_lock (&sessions->lock);
  viewers = g_hash_table_get_values (sessions->by_token);
  g_list_foreach (viewers, (GFunc) (void (*)(void)) g_object_ref, NULL);
  g_mutex_unlock (&sessions->lock);
  for (l = viewers; l != NULL; l = l->next)
    found |= webrtc_viewer_set_bitrate (l->data, encoder, bitrate_kbps);
  g_list_free_full (viewers, g_object_unref);
  for (l = sessions->broadcasts; l != NULL; l = l->next) {
    Encoder *shared = webrtc_broadcast_encoder (l->data);
    guint applied;

    if (encoder != 0 && encoder_id (shared) != encoder)
      continue;
    found = TRUE;
    if (encoder_set_bitrate (shared, bitrate_kbps, &applied))
      encoder_emit_bitrate (sessions->context->protocol,
          webrtc_broadcast_mount (l->data), encoder_id (shared), applied,
          bitrate_kbps);
  }
  return found;
}

WebrtcSessions *
webrtc_sessions_new (const WebrtcContext * context, const Mounts * mounts,
    HelperSessionPool * pool, HelperServer * server)
{
  WebrtcSessions *sessions = g_new0 (WebrtcSessions, 1);

  sessions->context = context;
  sessions->mounts = mounts;
  sessions->pool = pool;
  sessions->server = server;
  sessions->by_token = g_hash_table_new_full (g_str_hash, g_str_equal,
      g_free, g_object_unref);
  g_mutex_init (&sessions->lock);
  helper_session_pool_count_others (pool, count_viewers, sessions);
  return sessions;
}

void
webrtc_sessions_free (WebrtcSessions * sessions)
{
  GList *viewers;

  helper_session_pool_count_others (sessions->pool, NULL, NULL);
  g_mutex_lock (&sessions->lock);
  viewers = g_hash_table_get_values (sessions->by_token);
  g_list_foreach (viewers, (GFunc) (void (*)(void)) g_object_ref, NULL);
  g_mutex_unlock (&sessions->lock);
  for (GList * l = viewers; l != NULL; l = l->next)
    webrtc_viewer_end (l->data, "closed");
  g_list_free_full (viewers, g_object_unref);
  /* Each went with its last viewer. */
  g_assert (sessions->broadcasts == NULL);
  g_hash_table_unref (sessions->by_token);
  g_mutex_clear (&sessions->lock);
  g_free (sessions);
}
