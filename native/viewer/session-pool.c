#include "viewer/session-pool.h"

struct _HelperSession
{
  GstRTSPSession parent;
  /* Set once, by the SETUP that made it, before anyone else sees it. */
  GWeakRef owner;
  gchar *owner_address;
  MountFactory *mount;          /* the mounts outlive every session */
};

G_DEFINE_TYPE (HelperSession, helper_session, GST_TYPE_RTSP_SESSION);

struct _HelperSessionPool
{
  GstRTSPSessionPool parent;
  SessionLimits limits;
  SessionEnded ended;
  SessionTimedOut timed_out;
  gpointer user_data;
  guint cleanup_timeout;
  gboolean in_cleanup;          /* main thread only */
  SessionOthers others;         /* NULL: none */
  gpointer others_data;
};

G_DEFINE_TYPE (HelperSessionPool, helper_session_pool,
    GST_TYPE_RTSP_SESSION_POOL);

static void
helper_session_finalize (GObject * object)
{
  HelperSession *session = HELPER_SESSION (object);

  g_weak_ref_clear (&session->owner);
  g_free (session->owner_address);
  G_OBJECT_CLASS (helper_session_parent_class)->finalize (object);
}

static void
helper_session_class_init (HelperSessionClass * klass)
{
  G_OBJECT_CLASS (klass)->finalize = helper_session_finalize;
}

static void
helper_session_init (HelperSession * session)
{
  g_weak_ref_init (&session->owner, NULL);
}

void
helper_session_set_owner (HelperSession * session, Viewer * owner,
    const gchar * address, MountFactory * mount)
{
  g_weak_ref_set (&session->owner, owner);
  g_free (session->owner_address);
  session->owner_address = g_strdup (address);
  session->mount = mount;
}

gboolean
helper_session_is_owned_by (HelperSession * session, Viewer * viewer)
{
  Viewer *owner = g_weak_ref_get (&session->owner);
  gboolean owned = owner == viewer;

  g_clear_object (&owner);
  return owned;
}

/* gst_rtsp_session_new() does the same for its own type. */
static GstRTSPSession *
helper_session_pool_create_session (GstRTSPSessionPool * base, const gchar * id)
{
  HelperSessionPool *pool = HELPER_SESSION_POOL (base);
  GstRTSPSession *session = g_object_new (HELPER_TYPE_SESSION, "sessionid",
      id, NULL);

  gst_rtsp_session_set_timeout (session, pool->limits.session_timeout_s);
  return session;
}

/* Any thread; only those removed by on_cleanup() timed out. */
static void
helper_session_pool_session_removed (GstRTSPSessionPool * base,
    GstRTSPSession * removed)
{
  HelperSessionPool *pool = HELPER_SESSION_POOL (base);
  Viewer *owner = g_weak_ref_get (&HELPER_SESSION (removed)->owner);

  if (owner == NULL)
    return;
  pool->ended (owner, pool->user_data);
  if (g_main_context_is_owner (NULL) && pool->in_cleanup)
    pool->timed_out (owner, pool->user_data);
  g_object_unref (owner);
}

static void
helper_session_pool_class_init (HelperSessionPoolClass * klass)
{
  GstRTSPSessionPoolClass *pool_class = GST_RTSP_SESSION_POOL_CLASS (klass);

  pool_class->create_session = helper_session_pool_create_session;
  pool_class->session_removed = helper_session_pool_session_removed;
}

static void
helper_session_pool_init (HelperSessionPool * pool G_GNUC_UNUSED)
{
}

HelperSessionPool *
helper_session_pool_new (const SessionLimits * limits, SessionEnded ended,
    SessionTimedOut timed_out, gpointer user_data)
{
  HelperSessionPool *pool = g_object_new (HELPER_TYPE_SESSION_POOL, NULL);

  pool->limits = *limits;
  pool->ended = ended;
  pool->timed_out = timed_out;
  pool->user_data = user_data;
  /* A backstop: helper_session_pool_refusal() comes first. */
  gst_rtsp_session_pool_set_max_sessions (GST_RTSP_SESSION_POOL (pool),
      limits->max_viewers * limits->mounts);
  return pool;
}

static gboolean
on_cleanup (gpointer user_data)
{
  HelperSessionPool *pool = user_data;

  pool->in_cleanup = TRUE;
  gst_rtsp_session_pool_cleanup (GST_RTSP_SESSION_POOL (pool));
  pool->in_cleanup = FALSE;
  return G_SOURCE_CONTINUE;
}

void
helper_session_pool_start (HelperSessionPool * pool)
{
  pool->cleanup_timeout = g_timeout_add_seconds
      (pool->limits.cleanup_interval_s, on_cleanup, pool);
}

void
helper_session_pool_stop (HelperSessionPool * pool)
{
  g_clear_handle_id (&pool->cleanup_timeout, g_source_remove);
}

/* Sessions of a mount, and of an address. */
typedef struct
{
  MountFactory *mount;
  const gchar *address;
  guint of_mount;
  guint of_address;
} SessionCount;

static GstRTSPFilterResult
count_session (GstRTSPSessionPool * base G_GNUC_UNUSED,
    GstRTSPSession * session, gpointer user_data)
{
  HelperSession *counted = HELPER_SESSION (session);
  SessionCount *count = user_data;

  if (counted->mount == count->mount)
    count->of_mount++;
  if (g_strcmp0 (counted->owner_address, count->address) == 0)
    count->of_address++;
  return GST_RTSP_FILTER_KEEP;
}

void
helper_session_pool_count_others (HelperSessionPool * pool,
    SessionOthers others, gpointer user_data)
{
  pool->others = others;
  pool->others_data = user_data;
}

/* The one client thread makes sessions one at a time: a count and the
 * SETUP that follows it cannot race another SETUP. */
const gchar *
helper_session_pool_refusal (HelperSessionPool * pool, MountFactory * mount,
    const gchar * address)
{
  SessionCount count = {.mount = mount,.address = address };

  /* KEEP everywhere: the list is empty. */
  g_list_free (gst_rtsp_session_pool_filter (GST_RTSP_SESSION_POOL (pool),
          count_session, &count));
  if (pool->others != NULL)
    pool->others (mount, address, &count.of_mount, &count.of_address,
        pool->others_data);
  if (count.of_mount >= pool->limits.max_viewers)
    return "max_viewers";
  if (count.of_address >= pool->limits.max_viewers_per_address)
    return "max_viewers_per_address";
  return NULL;
}

static GstRTSPFilterResult
remove_owned (GstRTSPSessionPool * base G_GNUC_UNUSED,
    GstRTSPSession * session, gpointer user_data)
{
  return helper_session_is_owned_by (HELPER_SESSION (session), user_data)
      ? GST_RTSP_FILTER_REMOVE : GST_RTSP_FILTER_KEEP;
}

void
helper_session_pool_end_owned (HelperSessionPool * pool, Viewer * owner)
{
  g_list_free (gst_rtsp_session_pool_filter (GST_RTSP_SESSION_POOL (pool),
          remove_owned, owner));
}
