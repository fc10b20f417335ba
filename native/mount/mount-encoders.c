#include "mount/mount-encoders.h"

#include "viewer/viewer.h"

/* How long a new viewer waits for the last one's media to go away. */
#define MEDIA_GONE_TIMEOUT (2 * G_TIME_SPAN_SECOND)
/* A key given to a viewer whose media never got configured (its DESCRIBE
 * failed first) stops counting against --encoders after this long. */
#define RESERVATION_TIMEOUT (10 * G_TIME_SPAN_SECOND)

struct _MountEncoders
{
  guint max_encoders;           /* 0: one encoder for every viewer */
  GMutex lock;                  /* for what follows */
  GCond encoder_gone;
  GList *list;                  /* Encoder, newest first */
  guint bitrate_kbps;           /* for the encoders made from now on */
  guint others;                 /* encoders of the mount's viewers made
                                 * elsewhere (WebRTC peers'), counted in
                                 * max_encoders too */
  /* The key each viewer was given (its id -> an encoder's key), for as
   * long as that encoder lives. */
  GHashTable *keys;
};

MountEncoders *
mount_encoders_new (guint max_encoders, guint bitrate_kbps)
{
  MountEncoders *encoders = g_new0 (MountEncoders, 1);

  encoders->max_encoders = max_encoders;
  encoders->bitrate_kbps = bitrate_kbps;
  g_mutex_init (&encoders->lock);
  g_cond_init (&encoders->encoder_gone);
  encoders->keys = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  return encoders;
}

void
mount_encoders_free (MountEncoders * encoders)
{
  g_list_free_full (encoders->list, encoder_free);
  g_hash_table_unref (encoders->keys);
  g_mutex_clear (&encoders->lock);
  g_cond_clear (&encoders->encoder_gone);
  g_free (encoders);
}

/* The id of the viewer whose request this client thread handles, or 0. */
static guint
current_viewer (void)
{
  GstRTSPContext *ctx = gst_rtsp_context_get_current ();

  if (ctx == NULL || ctx->client == NULL || !HELPER_IS_VIEWER (ctx->client))
    return 0;
  return viewer_id (HELPER_VIEWER (ctx->client));
}

static gboolean
names_encoder (gpointer viewer G_GNUC_UNUSED, gpointer key, gpointer encoder)
{
  return g_strcmp0 (key, encoder_key (encoder)) == 0;
}

/* Under the lock: the viewers given this encoder's key no longer have it. */
static void
forget_keys_of (MountEncoders * encoders, Encoder * encoder)
{
  if (encoder_key (encoder) != NULL)
    g_hash_table_foreach_remove (encoders->keys, names_encoder, encoder);
}

/* Under the lock: how many count against --encoders, after dropping (and
 * freeing) the reservations of viewers whose media never came. */
static guint
count_encoders (MountEncoders * encoders)
{
  gint64 now = g_get_monotonic_time ();
  GList *walk = encoders->list;
  guint count = 0;

  while (walk != NULL) {
    GList *next = walk->next;
    Encoder *encoder = walk->data;

    if (encoder_reservation_expired (encoder, now, RESERVATION_TIMEOUT)) {
      encoders->list = g_list_delete_link (encoders->list, walk);
      forget_keys_of (encoders, encoder);
      encoder_free (encoder);
    } else {
      count++;
    }
    walk = next;
  }
  return count;
}

/* Under the lock: the shareable one with the lowest bitrate, or NULL. */
static Encoder *
lowest_bitrate (MountEncoders * encoders)
{
  Encoder *lowest = NULL;

  for (GList * walk = encoders->list; walk != NULL; walk = walk->next) {
    Encoder *encoder = walk->data;

    if (encoder_is_shareable (encoder) && (lowest == NULL
            || encoder_bitrate (encoder) <= encoder_bitrate (lowest)))
      lowest = encoder;
  }
  return lowest;
}

/* Under the lock: the encoder under the viewer's key (only one not
 * configured yet, with `unconfigured`), or NULL. */
static Encoder *
find_by_key (MountEncoders * encoders, guint viewer, gboolean unconfigured)
{
  const gchar *key = g_hash_table_lookup (encoders->keys,
      GUINT_TO_POINTER (viewer));

  for (GList * walk = encoders->list; walk != NULL && key != NULL;
      walk = walk->next) {
    Encoder *encoder = walk->data;

    if (encoder_key (encoder) != NULL
        && (!unconfigured || !encoder_is_configured (encoder))
        && g_str_equal (encoder_key (encoder), key))
      return encoder;
  }
  return NULL;
}

gchar *
mount_encoders_key (MountEncoders * encoders, const gchar * mount)
{
  guint viewer;
  Encoder *encoder;
  gchar *key;

  /* One key for the mount, not the request's URL: a SETUP of the stream's
   * control URL without a DESCRIBE (/video1/stream=0) made a media, so an
   * encoder, of its own. */
  if (encoders->max_encoders == 0)
    return g_strdup (mount);
  if ((viewer = current_viewer ()) == 0)
    return NULL;

  g_mutex_lock (&encoders->lock);
  encoder = find_by_key (encoders, viewer, FALSE);
  if (encoder == NULL
      && count_encoders (encoders) + encoders->others >= encoders->max_encoders)
    encoder = lowest_bitrate (encoders);
  /* A shared encoder made outside a viewer's request has no key to give. */
  if (encoder != NULL && encoder_key (encoder) != NULL) {
    key = g_strdup (encoder_key (encoder));
  } else {
    key = g_strdup_printf ("viewer-%u", viewer);
    encoder = encoder_new (key, encoders->bitrate_kbps);
    encoders->list = g_list_prepend (encoders->list, encoder);
  }
  g_hash_table_insert (encoders->keys, GUINT_TO_POINTER (viewer),
      g_strdup (key));
  g_mutex_unlock (&encoders->lock);
  return key;
}

Encoder *
mount_encoders_configure (MountEncoders * encoders, GstRTSPMedia * media,
    const MediaElements * elements)
{
  guint viewer = current_viewer ();
  Encoder *encoder = NULL;

  g_mutex_lock (&encoders->lock);
  if (encoders->max_encoders > 0 && viewer != 0)
    encoder = find_by_key (encoders, viewer, TRUE);
  if (encoder == NULL) {
    encoder = encoder_new (NULL, encoders->bitrate_kbps);
    encoders->list = g_list_prepend (encoders->list, encoder);
  }
  encoder_configure (encoder, media, elements);
  g_mutex_unlock (&encoders->lock);
  return encoder;
}

void
mount_encoders_note_prepared (MountEncoders * encoders, Encoder * encoder)
{
  g_mutex_lock (&encoders->lock);
  encoder_note_prepared (encoder);
  g_mutex_unlock (&encoders->lock);
}

void
mount_encoders_remove (MountEncoders * encoders, Encoder * encoder)
{
  g_mutex_lock (&encoders->lock);
  encoders->list = g_list_remove (encoders->list, encoder);
  forget_keys_of (encoders, encoder);
  g_cond_broadcast (&encoders->encoder_gone);
  g_mutex_unlock (&encoders->lock);
}

gboolean
mount_encoders_set_bitrate (MountEncoders * encoders, guint id,
    guint bitrate_kbps, GArray * applied)
{
  gboolean found = id == 0;

  g_mutex_lock (&encoders->lock);
  if (id == 0)
    encoders->bitrate_kbps = bitrate_kbps;
  for (GList * walk = encoders->list; walk != NULL; walk = walk->next) {
    Encoder *encoder = walk->data;
    AppliedBitrate set = { encoder_id (encoder), bitrate_kbps };

    if (id != 0 && set.encoder != id)
      continue;
    found = TRUE;
    if (encoder_set_bitrate (encoder, bitrate_kbps, &set.bitrate_kbps))
      g_array_append_val (applied, set);
  }
  g_mutex_unlock (&encoders->lock);
  return found;
}

gboolean
mount_encoders_take_other (MountEncoders * encoders)
{
  gboolean taken;

  g_mutex_lock (&encoders->lock);
  taken = encoders->max_encoders == 0
      || count_encoders (encoders) + encoders->others < encoders->max_encoders;
  if (taken)
    encoders->others++;
  g_mutex_unlock (&encoders->lock);
  return taken;
}

void
mount_encoders_release_other (MountEncoders * encoders)
{
  g_mutex_lock (&encoders->lock);
  if (encoders->others > 0)
    encoders->others--;
  g_mutex_unlock (&encoders->lock);
}

guint
mount_encoders_start_bitrate (MountEncoders * encoders)
{
  guint bitrate_kbps;

  g_mutex_lock (&encoders->lock);
  bitrate_kbps = encoders->bitrate_kbps;
  g_mutex_unlock (&encoders->lock);
  return bitrate_kbps;
}

guint
mount_encoders_bitrate (MountEncoders * encoders, const Encoder * encoder)
{
  guint bitrate_kbps;

  g_mutex_lock (&encoders->lock);
  bitrate_kbps = encoder_bitrate (encoder);
  g_mutex_unlock (&encoders->lock);
  return bitrate_kbps;
}

void
mount_encoders_wait_gone (MountEncoders * encoders)
{
  gint64 deadline = g_get_monotonic_time () + MEDIA_GONE_TIMEOUT;
  gboolean going = TRUE;

  if (encoders->max_encoders > 0)
    return;
  g_mutex_lock (&encoders->lock);
  while (going) {
    going = FALSE;
    for (GList * walk = encoders->list; walk != NULL; walk = walk->next)
      going |= encoder_is_going (walk->data);
    if (going && !g_cond_wait_until (&encoders->encoder_gone,
            &encoders->lock, deadline))
      break;
  }
  g_mutex_unlock (&encoders->lock);
}

void
mount_encoders_unprepare (MountEncoders * encoders)
{
  GList *medias = NULL;

  g_mutex_lock (&encoders->lock);
  for (GList * walk = encoders->list; walk != NULL; walk = walk->next) {
    GstRTSPMedia *media = encoder_get_media (walk->data);

    if (media != NULL)
      medias = g_list_prepend (medias, media);
  }
  g_mutex_unlock (&encoders->lock);

  /* Outside the lock: an unprepare frees encoders. A viewer that was still
   * setting up holds a prepare count of its own, released later on its
   * client thread: unprepare until the media really is, so that nothing
   * runs in it while the process exits. */
  for (GList * walk = medias; walk != NULL; walk = walk->next)
    while (gst_rtsp_media_get_status (walk->data) !=
        GST_RTSP_MEDIA_STATUS_UNPREPARED
        && gst_rtsp_media_unprepare (walk->data));
  g_list_free_full (medias, g_object_unref);
}
