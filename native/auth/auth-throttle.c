#include "auth/auth-throttle.h"

typedef struct
{
  gchar *address;
  gdouble left;                 /* failures it may still make at failed_us */
  gint64 failed_us;
} Bucket;

struct _AuthThrottle
{
  GMutex lock;                  /* for what follows */
  GHashTable *by_address;       /* address -> GList link in `order` */
  GQueue order;                 /* Bucket, least recently failed first */
};

static void
bucket_free (gpointer data)
{
  Bucket *bucket = data;

  g_free (bucket->address);
  g_free (bucket);
}

AuthThrottle *
auth_throttle_new (void)
{
  AuthThrottle *throttle = g_new0 (AuthThrottle, 1);

  g_mutex_init (&throttle->lock);
  throttle->by_address = g_hash_table_new (g_str_hash, g_str_equal);
  g_queue_init (&throttle->order);
  return throttle;
}

void
auth_throttle_free (AuthThrottle * throttle)
{
  g_hash_table_unref (throttle->by_address);
  g_queue_clear_full (&throttle->order, bucket_free);
  g_mutex_clear (&throttle->lock);
  g_free (throttle);
}

static gdouble
left_at (const Bucket * bucket, gint64 now_us)
{
  return MIN (AUTH_THROTTLE_BURST, bucket->left + (gdouble) (now_us
          - bucket->failed_us) / (AUTH_THROTTLE_REFILL_S * G_USEC_PER_SEC));
}

/* Under the lock: the link of the address's bucket, or NULL. */
static GList *
find (AuthThrottle * throttle, const gchar * address)
{
  return g_hash_table_lookup (throttle->by_address, address);
}

static void
forget (AuthThrottle * throttle, GList * link)
{
  Bucket *bucket = link->data;

  g_hash_table_remove (throttle->by_address, bucket->address);
  g_queue_delete_link (&throttle->order, link);
  bucket_free (bucket);
}

gboolean
auth_throttle_locked (AuthThrottle * throttle, const gchar * address,
    gint64 now_us)
{
  GList *link;
  gboolean locked;

  g_mutex_lock (&throttle->lock);
  link = find (throttle, address);
  locked = link != NULL && left_at (link->data, now_us) < 1;
  g_mutex_unlock (&throttle->lock);
  return locked;
}

void
auth_throttle_failed (AuthThrottle * throttle, const gchar * address,
    gint64 now_us)
{
  GList *link;
  Bucket *bucket;

  g_mutex_lock (&throttle->lock);
  link = find (throttle, address);
  if (link != NULL) {
    bucket = link->data;
    g_queue_unlink (&throttle->order, link);
    g_list_free_1 (link);
    bucket->left = MAX (0, left_at (bucket, now_us) - 1);
  } else {
    bucket = g_new0 (Bucket, 1);
    bucket->address = g_strdup (address);
    bucket->left = AUTH_THROTTLE_BURST - 1;
  }
  bucket->failed_us = now_us;
  g_queue_push_tail (&throttle->order, bucket);
  g_hash_table_insert (throttle->by_address, bucket->address,
      throttle->order.tail);

  /* Least recently failed first: one full again holds nothing worth
   * keeping, and past the cap the oldest go whatever they hold. */
  while ((link = throttle->order.head) != throttle->order.tail
      && (left_at (link->data, now_us) >= AUTH_THROTTLE_BURST
          || throttle->order.length > AUTH_THROTTLE_MAX_ADDRESSES))
    forget (throttle, link);
  g_mutex_unlock (&throttle->lock);
}

guint
auth_throttle_size (AuthThrottle * throttle)
{
  guint size;

  g_mutex_lock (&throttle->lock);
  size = throttle->order.length;
  g_mutex_unlock (&throttle->lock);
  return size;
}
