#include "feedback/twcc-parse.h"

#include <gst/gst.h>

#define HEADER_BYTES 8
#define REFERENCE_TIME_US 64000
#define DELTA_US 250

typedef enum
{
  NOT_RECEIVED = 0,
  SMALL_DELTA = 1,              /* one byte, unsigned */
  LARGE_DELTA = 2,              /* two bytes, signed */
  RESERVED = 3,
} Symbol;

static void
add_status (GArray * statuses, guint16 seq, Symbol symbol)
{
  TwccStatus status = {.seq = seq,.received = symbol != NOT_RECEIVED };

  /* The symbol, until its delta is read. */
  status.arrival_us = symbol;
  g_array_append_val (statuses, status);
}

/* One 16-bit chunk: a run of one symbol, or a vector of 14 one-bit or 7
 * two-bit symbols. Symbols beyond `count` are padding. */
static gboolean
read_chunk (guint16 chunk, guint16 base_seq, guint16 count, GArray * statuses)
{
  if ((chunk & 0x8000) == 0) {
    Symbol symbol = (chunk >> 13) & 0x3;
    guint run = chunk & 0x1fff;

    if (symbol == RESERVED)
      return FALSE;
    for (guint i = 0; i < run && statuses->len < count; i++)
      add_status (statuses, base_seq + statuses->len, symbol);
  } else if ((chunk & 0x4000) == 0) {
    for (gint bit = 13; bit >= 0 && statuses->len < count; bit--)
      add_status (statuses, base_seq + statuses->len, (chunk >> bit) & 0x1);
  } else {
    for (gint pair = 6; pair >= 0 && statuses->len < count; pair--) {
      Symbol symbol = (chunk >> (2 * pair)) & 0x3;

      if (symbol == RESERVED)
        return FALSE;
      add_status (statuses, base_seq + statuses->len, symbol);
    }
  }
  return TRUE;
}

gboolean
twcc_parse (const guint8 * fci, gsize size, guint max_count,
    TwccHeader * header, GArray * statuses, const gchar ** problem)
{
  gsize offset = HEADER_BYTES;
  gint64 arrival_us;

  g_array_set_size (statuses, 0);
  if (size < HEADER_BYTES)
    goto too_short;
  header->base_seq = GST_READ_UINT16_BE (fci);
  header->count = GST_READ_UINT16_BE (fci + 2);
  arrival_us = (gint64) GST_READ_UINT24_BE (fci + 4) * REFERENCE_TIME_US;
  header->feedback_count = fci[7];
  /* A 13-bit run costs two bytes: without a bound, a small packet would
   * make an array of 65535 statuses. */
  if (header->count > max_count)
    goto too_many;

  while (statuses->len < header->count) {
    if (offset + 2 > size)
      goto too_short;
    if (!read_chunk (GST_READ_UINT16_BE (fci + offset), header->base_seq,
            header->count, statuses))
      goto reserved_symbol;
    offset += 2;
  }
  for (guint i = 0; i < statuses->len; i++) {
    TwccStatus *status = &g_array_index (statuses, TwccStatus, i);
    Symbol symbol = (Symbol) status->arrival_us;

    if (symbol == SMALL_DELTA) {
      if (offset + 1 > size)
        goto too_short;
      arrival_us += (gint64) fci[offset] * DELTA_US;
      offset += 1;
    } else if (symbol == LARGE_DELTA) {
      if (offset + 2 > size)
        goto too_short;
      arrival_us += (gint64) (gint16) GST_READ_UINT16_BE (fci + offset)
          * DELTA_US;
      offset += 2;
    }
    status->arrival_us = status->received ? arrival_us : 0;
  }
  return TRUE;

  /* ERRORS */
too_short:
  {
    *problem = "twcc_truncated";
    return FALSE;
  }
too_many:
  {
    *problem = "twcc_too_many_packets";
    return FALSE;
  }
reserved_symbol:
  {
    *problem = "twcc_reserved_symbol";
    return FALSE;
  }
}
