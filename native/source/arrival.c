#include "source/arrival.h"

#include "source/frame-stamp.h"

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

void
arrival_attach (GstBuffer * buffer, gint64 arrival_us)
{
  if (arrival_us > 0)
    frame_stamp_attach (buffer, FRAME_STAMP_ARRIVAL,
        (GstClockTime) arrival_us * GST_USECOND);
}

gint64
arrival_of (GstBuffer * buffer)
{
  GstClockTime arrival = frame_stamp_of (buffer, FRAME_STAMP_ARRIVAL);

  return GST_CLOCK_TIME_IS_VALID (arrival) ?
      (gint64) (arrival / GST_USECOND) : 0;
}
