#include "source/arrival.h"

typedef struct
{
  GstClockTime pts;
  gint64 arrival_us;
} Arrival;

struct _ArrivalTable
{
  GMutex lock;
  Arrival slots[ARRIVAL_SLOTS];
  guint next;
};

ArrivalTable *
arrival_table_new (void)
{
  ArrivalTable *table = g_new0 (ArrivalTable, 1);

  g_mutex_init (&table->lock);
  for (guint i = 0; i < ARRIVAL_SLOTS; i++)
    table->slots[i].pts = GST_CLOCK_TIME_NONE;
  return table;
}

void
arrival_table_free (ArrivalTable * table)
{
  g_mutex_clear (&table->lock);
  g_free (table);
}

void
arrival_table_note (ArrivalTable * table, GstClockTime pts, gint64 arrival_us)
{
  if (!GST_CLOCK_TIME_IS_VALID (pts))
    return;
  g_mutex_lock (&table->lock);
  table->slots[table->next].pts = pts;
  table->slots[table->next].arrival_us = arrival_us;
  table->next = (table->next + 1) % ARRIVAL_SLOTS;
  g_mutex_unlock (&table->lock);
}

gint64
arrival_table_find (ArrivalTable * table, GstClockTime pts)
{
  gint64 arrival_us = 0;

  if (!GST_CLOCK_TIME_IS_VALID (pts))
    return 0;
  g_mutex_lock (&table->lock);
  for (guint i = 0; i < ARRIVAL_SLOTS; i++) {
    if (table->slots[i].pts == pts) {
      arrival_us = table->slots[i].arrival_us;
      break;
    }
  }
  g_mutex_unlock (&table->lock);
  return arrival_us;
}

/* Immutable once made, shared by every writer and reader of the meta. */
static GstCaps *
arrival_caps (void)
{
  static GstCaps *caps = NULL;

  if (g_once_init_enter (&caps))
    g_once_init_leave (&caps,
        gst_caps_new_empty_simple ("timestamp/x-arrival"));
  return caps;
}

void
arrival_attach (GstBuffer * buffer, gint64 arrival_us)
{
  if (arrival_us > 0)
    gst_buffer_add_reference_timestamp_meta (buffer, arrival_caps (),
        (GstClockTime) arrival_us * GST_USECOND, GST_CLOCK_TIME_NONE);
}

gint64
arrival_of (GstBuffer * buffer)
{
  GstReferenceTimestampMeta *meta =
      gst_buffer_get_reference_timestamp_meta (buffer, arrival_caps ());

  return meta != NULL ? (gint64) (meta->timestamp / GST_USECOND) : 0;
}
