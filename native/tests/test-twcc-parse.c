/* twcc_parse(): the FCI of TWCC feedback, as a viewer sends it. Each FCI is
 * copied to a buffer of exactly its size, so that AddressSanitizer sees a
 * read one byte past it. */
#include "feedback/twcc-parse.h"

#include <gst/gst.h>
#include <string.h>

#define MAX_COUNT 4096

/* Chunks (draft-holmer-rmcat-transport-wide-cc-extensions-01 3.1.3/4). */
#define RUN(symbol, length) ((guint16) (((symbol) << 13) | (length)))
#define ONE_BIT_VECTOR(bits14) ((guint16) (0x8000 | (bits14)))
#define TWO_BIT_VECTOR(s0, s1, s2, s3, s4, s5, s6) ((guint16) (0xc000 \
      | (s0) << 12 | (s1) << 10 | (s2) << 8 | (s3) << 6 | (s4) << 4 \
      | (s5) << 2 | (s6)))

/* An FCI under construction. */
typedef struct
{
  GByteArray *bytes;
} Fci;

static Fci
fci_new (guint16 base_seq, guint16 count, guint32 reference_time,
    guint8 feedback_count)
{
  Fci fci = {.bytes = g_byte_array_new () };
  guint8 header[8];

  GST_WRITE_UINT16_BE (header, base_seq);
  GST_WRITE_UINT16_BE (header + 2, count);
  GST_WRITE_UINT24_BE (header + 4, reference_time);
  header[7] = feedback_count;
  g_byte_array_append (fci.bytes, header, sizeof (header));
  return fci;
}

static void
fci_chunk (Fci * fci, guint16 chunk)
{
  guint8 data[2];

  GST_WRITE_UINT16_BE (data, chunk);
  g_byte_array_append (fci->bytes, data, 2);
}

static void
fci_small_delta (Fci * fci, guint8 ticks)
{
  g_byte_array_append (fci->bytes, &ticks, 1);
}

static void
fci_large_delta (Fci * fci, gint16 ticks)
{
  guint8 data[2];

  GST_WRITE_UINT16_BE (data, (guint16) ticks);
  g_byte_array_append (fci->bytes, data, 2);
}

typedef struct
{
  gboolean ok;
  const gchar *problem;
  TwccHeader header;
  GArray *statuses;
} Parsed;

/* Parses the first `size` bytes of the FCI from a copy of exactly that
 * size. */
static Parsed
parse_prefix (const Fci * fci, gsize size, guint max_count)
{
  Parsed parsed = {.statuses = g_array_new (FALSE, FALSE,
        sizeof (TwccStatus))
  };
  guint8 *copy = g_memdup2 (fci->bytes->data, size);

  g_assert_cmpuint (size, <=, fci->bytes->len);
  parsed.ok = twcc_parse (copy, size, max_count, &parsed.header,
      parsed.statuses, &parsed.problem);
  g_free (copy);
  return parsed;
}

static Parsed
parse (const Fci * fci)
{
  return parse_prefix (fci, fci->bytes->len, MAX_COUNT);
}

static void
parsed_clear (Parsed * parsed)
{
  g_array_unref (parsed->statuses);
}

static void
fci_clear (Fci * fci)
{
  g_byte_array_unref (fci->bytes);
}

static const TwccStatus *
status_at (const Parsed * parsed, guint i)
{
  g_assert_cmpuint (i, <, parsed->statuses->len);
  return &g_array_index (parsed->statuses, TwccStatus, i);
}

static void
assert_status (const Parsed * parsed, guint i, guint16 seq,
    gboolean received, gint64 arrival_us)
{
  const TwccStatus *status = status_at (parsed, i);

  g_assert_cmpuint (status->seq, ==, seq);
  g_assert_cmpint (status->received, ==, received);
  g_assert_cmpint (status->arrival_us, ==, arrival_us);
}

/* Every prefix of a valid FCI shorter than it is cut short. */
static void
assert_every_prefix_truncated (const Fci * fci)
{
  for (gsize size = 0; size < fci->bytes->len; size++) {
    Parsed parsed = parse_prefix (fci, size, MAX_COUNT);

    if (parsed.ok)
      g_error ("a %" G_GSIZE_FORMAT "-byte prefix of a %u-byte FCI parsed",
          size, fci->bytes->len);
    g_assert_cmpstr (parsed.problem, ==, "twcc_truncated");
    parsed_clear (&parsed);
  }
}

static void
test_header (void)
{
  Fci fci = fci_new (0xabcd, 0, 0x123456, 0xfe);
  Parsed parsed = parse (&fci);

  g_assert_true (parsed.ok);
  g_assert_cmpuint (parsed.header.base_seq, ==, 0xabcd);
  g_assert_cmpuint (parsed.header.count, ==, 0);
  g_assert_cmpuint (parsed.header.feedback_count, ==, 0xfe);
  g_assert_cmpuint (parsed.statuses->len, ==, 0);
  parsed_clear (&parsed);
  fci_clear (&fci);
}

/* A run of small deltas: arrival = reference time (64 ms units) plus the
 * deltas so far (250 µs units). */
static void
test_run_of_small_deltas (void)
{
  Fci fci = fci_new (100, 3, 2, 7);
  Parsed parsed;

  fci_chunk (&fci, RUN (1, 3));
  fci_small_delta (&fci, 4);
  fci_small_delta (&fci, 8);
  fci_small_delta (&fci, 0);
  parsed = parse (&fci);
  g_assert_true (parsed.ok);
  g_assert_cmpuint (parsed.statuses->len, ==, 3);
  assert_status (&parsed, 0, 100, TRUE, 128000 + 1000);
  assert_status (&parsed, 1, 101, TRUE, 128000 + 3000);
  assert_status (&parsed, 2, 102, TRUE, 128000 + 3000);
  parsed_clear (&parsed);
  assert_every_prefix_truncated (&fci);
  fci_clear (&fci);
}

/* Statuses not received carry no delta and no arrival time. */
static void
test_one_bit_vector (void)
{
  Fci fci = fci_new (7, 5, 0, 0);
  Parsed parsed;

  /* 1 0 1 1 0, then nine padding symbols. */
  fci_chunk (&fci, ONE_BIT_VECTOR (0x2c00));
  fci_small_delta (&fci, 1);
  fci_small_delta (&fci, 2);
  fci_small_delta (&fci, 3);
  parsed = parse (&fci);
  g_assert_true (parsed.ok);
  g_assert_cmpuint (parsed.statuses->len, ==, 5);
  assert_status (&parsed, 0, 7, TRUE, 250);
  assert_status (&parsed, 1, 8, FALSE, 0);
  assert_status (&parsed, 2, 9, TRUE, 750);
  assert_status (&parsed, 3, 10, TRUE, 1500);
  assert_status (&parsed, 4, 11, FALSE, 0);
  parsed_clear (&parsed);
  assert_every_prefix_truncated (&fci);
  fci_clear (&fci);
}

/* A large delta is two bytes, signed: arrival may go back. */
static void
test_two_bit_vector_with_large_deltas (void)
{
  Fci fci = fci_new (1, 4, 1, 0);
  Parsed parsed;

  fci_chunk (&fci, TWO_BIT_VECTOR (2, 0, 1, 2, 0, 0, 0));
  fci_large_delta (&fci, -4);
  fci_small_delta (&fci, 10);
  fci_large_delta (&fci, 1000);
  parsed = parse (&fci);
  g_assert_true (parsed.ok);
  g_assert_cmpuint (parsed.statuses->len, ==, 4);
  assert_status (&parsed, 0, 1, TRUE, 64000 - 1000);
  assert_status (&parsed, 1, 2, FALSE, 0);
  assert_status (&parsed, 2, 3, TRUE, 64000 - 1000 + 2500);
  assert_status (&parsed, 3, 4, TRUE, 64000 - 1000 + 2500 + 250000);
  parsed_clear (&parsed);
  assert_every_prefix_truncated (&fci);
  fci_clear (&fci);
}

/* Statuses span chunks of every kind, in order. */
static void
test_mixed_chunks (void)
{
  Fci fci = fci_new (1000, 2 + 14 + 3, 0, 0);
  Parsed parsed;

  fci_chunk (&fci, RUN (0, 2));
  fci_chunk (&fci, ONE_BIT_VECTOR (0x3fff));
  fci_chunk (&fci, TWO_BIT_VECTOR (1, 0, 1, 0, 0, 0, 0));
  for (guint i = 0; i < 14 + 2; i++)
    fci_small_delta (&fci, 1);
  parsed = parse (&fci);
  g_assert_true (parsed.ok);
  g_assert_cmpuint (parsed.statuses->len, ==, 19);
  assert_status (&parsed, 0, 1000, FALSE, 0);
  assert_status (&parsed, 1, 1001, FALSE, 0);
  for (guint i = 0; i < 14; i++)
    assert_status (&parsed, 2 + i, 1002 + i, TRUE, 250 * (i + 1));
  assert_status (&parsed, 16, 1016, TRUE, 250 * 15);
  assert_status (&parsed, 17, 1017, FALSE, 0);
  assert_status (&parsed, 18, 1018, TRUE, 250 * 16);
  parsed_clear (&parsed);
  assert_every_prefix_truncated (&fci);
  fci_clear (&fci);
}

static void
test_sequence_wraps (void)
{
  Fci fci = fci_new (65534, 3, 0, 0);
  Parsed parsed;

  fci_chunk (&fci, RUN (0, 3));
  parsed = parse (&fci);
  g_assert_true (parsed.ok);
  assert_status (&parsed, 0, 65534, FALSE, 0);
  assert_status (&parsed, 1, 65535, FALSE, 0);
  assert_status (&parsed, 2, 0, FALSE, 0);
  parsed_clear (&parsed);
  fci_clear (&fci);
}

/* A run longer than the count: the rest is padding. An empty run adds
 * nothing: the next chunk still starts at the first status. */
static void
test_runs_longer_and_empty (void)
{
  Fci fci = fci_new (0, 2, 0, 0);
  Parsed parsed;

  fci_chunk (&fci, RUN (1, 0));
  fci_chunk (&fci, RUN (1, 8191));
  fci_small_delta (&fci, 1);
  fci_small_delta (&fci, 1);
  parsed = parse (&fci);
  g_assert_true (parsed.ok);
  g_assert_cmpuint (parsed.statuses->len, ==, 2);
  assert_status (&parsed, 0, 0, TRUE, 250);
  assert_status (&parsed, 1, 1, TRUE, 500);
  parsed_clear (&parsed);
  fci_clear (&fci);
}

/* Bytes after the last delta (RTCP padding to a word) are ignored. */
static void
test_trailing_padding (void)
{
  Fci fci = fci_new (0, 1, 0, 0);
  Parsed parsed;

  fci_chunk (&fci, RUN (1, 1));
  fci_small_delta (&fci, 4);
  fci_small_delta (&fci, 0);
  parsed = parse (&fci);
  g_assert_true (parsed.ok);
  g_assert_cmpuint (parsed.statuses->len, ==, 1);
  assert_status (&parsed, 0, 0, TRUE, 1000);
  parsed_clear (&parsed);
  fci_clear (&fci);
}

static void
test_truncated_header (void)
{
  Fci fci = fci_new (0, 0, 0, 0);

  /* 0 statuses need the 8 header bytes only. */
  assert_every_prefix_truncated (&fci);
  fci_clear (&fci);
}

static void
test_missing_chunks (void)
{
  Fci fci = fci_new (0, 20, 0, 0);
  Parsed parsed;

  /* 14 of 20 statuses: the second chunk is missing. */
  fci_chunk (&fci, ONE_BIT_VECTOR (0));
  parsed = parse (&fci);
  g_assert_false (parsed.ok);
  g_assert_cmpstr (parsed.problem, ==, "twcc_truncated");
  parsed_clear (&parsed);
  fci_clear (&fci);
}

static void
test_reserved_symbols (void)
{
  Fci run = fci_new (0, 1, 0, 0);
  Fci vector = fci_new (0, 3, 0, 0);
  Fci padding = fci_new (0, 2, 0, 0);
  Parsed parsed;

  fci_chunk (&run, RUN (3, 1));
  parsed = parse (&run);
  g_assert_false (parsed.ok);
  g_assert_cmpstr (parsed.problem, ==, "twcc_reserved_symbol");
  parsed_clear (&parsed);

  fci_chunk (&vector, TWO_BIT_VECTOR (0, 0, 3, 0, 0, 0, 0));
  parsed = parse (&vector);
  g_assert_false (parsed.ok);
  g_assert_cmpstr (parsed.problem, ==, "twcc_reserved_symbol");
  parsed_clear (&parsed);

  /* Past the count, a symbol is padding, whatever it is. */
  fci_chunk (&padding, TWO_BIT_VECTOR (0, 0, 3, 3, 3, 3, 3));
  parsed = parse (&padding);
  g_assert_true (parsed.ok);
  g_assert_cmpuint (parsed.statuses->len, ==, 2);
  parsed_clear (&parsed);

  fci_clear (&run);
  fci_clear (&vector);
  fci_clear (&padding);
}

/* A two-byte run may claim 8191 statuses: the count is bounded. */
static void
test_count_bound (void)
{
  Fci at_bound = fci_new (0, MAX_COUNT, 0, 0);
  Fci past_bound = fci_new (0, MAX_COUNT + 1, 0, 0);
  Parsed parsed;

  fci_chunk (&at_bound, RUN (0, 8191));
  parsed = parse (&at_bound);
  g_assert_true (parsed.ok);
  g_assert_cmpuint (parsed.statuses->len, ==, MAX_COUNT);
  assert_status (&parsed, MAX_COUNT - 1, MAX_COUNT - 1, FALSE, 0);
  parsed_clear (&parsed);

  fci_chunk (&past_bound, RUN (0, 8191));
  parsed = parse (&past_bound);
  g_assert_false (parsed.ok);
  g_assert_cmpstr (parsed.problem, ==, "twcc_too_many_packets");
  g_assert_cmpuint (parsed.statuses->len, ==, 0);
  parsed_clear (&parsed);

  /* The bound is the caller's. */
  parsed = parse_prefix (&at_bound, at_bound.bytes->len, 10);
  g_assert_false (parsed.ok);
  g_assert_cmpstr (parsed.problem, ==, "twcc_too_many_packets");
  parsed_clear (&parsed);

  fci_clear (&at_bound);
  fci_clear (&past_bound);
}

/* The array is refilled, not appended to, whatever the outcome. */
static void
test_statuses_reset (void)
{
  Fci good = fci_new (0, 2, 0, 0);
  Fci bad = fci_new (0, 2, 0, 0);
  GArray *statuses = g_array_new (FALSE, FALSE, sizeof (TwccStatus));
  const gchar *problem = NULL;
  TwccHeader header;

  fci_chunk (&good, RUN (0, 2));
  g_assert_true (twcc_parse (good.bytes->data, good.bytes->len, MAX_COUNT,
          &header, statuses, &problem));
  g_assert_true (twcc_parse (good.bytes->data, good.bytes->len, MAX_COUNT,
          &header, statuses, &problem));
  g_assert_cmpuint (statuses->len, ==, 2);
  g_assert_false (twcc_parse (bad.bytes->data, bad.bytes->len, MAX_COUNT,
          &header, statuses, &problem));
  g_assert_cmpstr (problem, ==, "twcc_truncated");
  g_assert_cmpuint (statuses->len, ==, 0);
  g_array_unref (statuses);
  fci_clear (&good);
  fci_clear (&bad);
}

/* The largest reference time and deltas do not overflow. */
static void
test_extremes (void)
{
  Fci fci = fci_new (0, 14, 0xffffff, 0);
  Parsed parsed;
  gint64 expected = (gint64) 0xffffff * 64000;

  fci_chunk (&fci, TWO_BIT_VECTOR (2, 2, 2, 2, 2, 2, 2));
  fci_chunk (&fci, TWO_BIT_VECTOR (2, 2, 2, 2, 2, 2, 2));
  for (guint i = 0; i < 14; i++)
    fci_large_delta (&fci, G_MAXINT16);
  parsed = parse (&fci);
  g_assert_true (parsed.ok);
  for (guint i = 0; i < 14; i++) {
    expected += (gint64) G_MAXINT16 *250;
    assert_status (&parsed, i, i, TRUE, expected);
  }
  parsed_clear (&parsed);
  fci_clear (&fci);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/twcc-parse/header", test_header);
  g_test_add_func ("/twcc-parse/run-of-small-deltas", test_run_of_small_deltas);
  g_test_add_func ("/twcc-parse/one-bit-vector", test_one_bit_vector);
  g_test_add_func ("/twcc-parse/two-bit-vector-with-large-deltas",
      test_two_bit_vector_with_large_deltas);
  g_test_add_func ("/twcc-parse/mixed-chunks", test_mixed_chunks);
  g_test_add_func ("/twcc-parse/sequence-wraps", test_sequence_wraps);
  g_test_add_func ("/twcc-parse/runs-longer-and-empty",
      test_runs_longer_and_empty);
  g_test_add_func ("/twcc-parse/trailing-padding", test_trailing_padding);
  g_test_add_func ("/twcc-parse/truncated-header", test_truncated_header);
  g_test_add_func ("/twcc-parse/missing-chunks", test_missing_chunks);
  g_test_add_func ("/twcc-parse/reserved-symbols", test_reserved_symbols);
  g_test_add_func ("/twcc-parse/count-bound", test_count_bound);
  g_test_add_func ("/twcc-parse/statuses-reset", test_statuses_reset);
  g_test_add_func ("/twcc-parse/extremes", test_extremes);
  return g_test_run ();
}
