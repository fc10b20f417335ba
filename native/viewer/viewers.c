#include "viewer/viewers.h"

struct _Viewers
{
  GMutex lock;                  /* for what follows; taken before any
                                 * viewer's */
  GList *list;                  /* Viewer references, newest first */
  GCond emptied;
};

Viewers *
viewers_new (void)
{
  Viewers *viewers = g_new0 (Viewers, 1);

  g_mutex_init (&viewers->lock);
  g_cond_init (&viewers->emptied);
  return viewers;
}

void
viewers_free (Viewers * viewers)
{
  g_list_free_full (viewers->list, g_object_unref);
  g_mutex_clear (&viewers->lock);
  g_cond_clear (&viewers->emptied);
  g_free (viewers);
}

void
viewers_add (Viewers * viewers, Viewer * viewer)
{
  g_mutex_lock (&viewers->lock);
  viewers->list = g_list_prepend (viewers->list, g_object_ref (viewer));
  g_mutex_unlock (&viewers->lock);
}

void
viewers_remove (Viewers * viewers, Viewer * viewer)
{
  GList *link;

  g_mutex_lock (&viewers->lock);
  link = g_list_find (viewers->list, viewer);
  if (link != NULL)
    viewers->list = g_list_delete_link (viewers->list, link);
  if (viewers->list == NULL)
    g_cond_broadcast (&viewers->emptied);
  g_mutex_unlock (&viewers->lock);
  if (link != NULL)
    g_object_unref (viewer);
}

static gpointer
ref_viewer (gconstpointer viewer, gpointer user_data G_GNUC_UNUSED)
{
  return g_object_ref ((gpointer) viewer);
}

GList *
viewers_list (Viewers * viewers)
{
  GList *list;

  g_mutex_lock (&viewers->lock);
  list = g_list_copy_deep (viewers->list, ref_viewer, NULL);
  g_mutex_unlock (&viewers->lock);
  return list;
}

void
viewers_list_free (GList * list)
{
  g_list_free_full (list, g_object_unref);
}

guint
viewers_count (Viewers * viewers)
{
  guint count;

  g_mutex_lock (&viewers->lock);
  count = g_list_length (viewers->list);
  g_mutex_unlock (&viewers->lock);
  return count;
}

/* Under the registry's lock, each viewer's own nests inside it: a flood of
 * RTCP is looked up without copying the list for every packet. */
Viewer *
viewers_find_rtcp_sender (Viewers * viewers, const gchar * address, guint port)
{
  Viewer *sender = NULL;

  g_mutex_lock (&viewers->lock);
  for (GList * walk = viewers->list; walk != NULL && sender == NULL;
      walk = walk->next)
    if (viewer_sends_rtcp_from (walk->data, address, port))
      sender = g_object_ref (walk->data);
  g_mutex_unlock (&viewers->lock);
  return sender;
}

void
viewers_pace (Viewers * viewers, guint encoder, guint bitrate_kbps)
{
  GList *list = viewers_list (viewers);

  for (GList * walk = list; walk != NULL; walk = walk->next)
    viewer_pace (walk->data, encoder, bitrate_kbps);
  viewers_list_free (list);
}

void
viewers_disconnect_all (Viewers * viewers)
{
  GList *list = viewers_list (viewers);

  for (GList * walk = list; walk != NULL; walk = walk->next)
    viewer_disconnect (walk->data);
  viewers_list_free (list);
}

void
viewers_wait_empty (Viewers * viewers, gint64 deadline_us)
{
  g_mutex_lock (&viewers->lock);
  while (viewers->list != NULL
      && g_cond_wait_until (&viewers->emptied, &viewers->lock, deadline_us));
  g_mutex_unlock (&viewers->lock);
}
