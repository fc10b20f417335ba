/* The line protocol: JSON of any byte string, numbers, and the order in
 * which records reach the file descriptor (a pipe, read back). */
#include "link/protocol.h"
#include "tests/json-decode.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

typedef struct
{
  Protocol protocol;
  gint read_fd;
} Fixture;

static void
fixture_set_up (Fixture * fixture, gconstpointer data G_GNUC_UNUSED)
{
  gint fds[2];

  g_assert_cmpint (pipe (fds), ==, 0);
  /* What has been written, and nothing more, can be read at once. */
  g_assert_cmpint (fcntl (fds[0], F_SETFL, O_NONBLOCK), ==, 0);
  memset (&fixture->protocol, 0, sizeof (fixture->protocol));
  g_mutex_init (&fixture->protocol.lock);
  protocol_init (&fixture->protocol, fds[1]);
  fixture->read_fd = fds[0];
}

static void
fixture_tear_down (Fixture * fixture, gconstpointer data G_GNUC_UNUSED)
{
  close (fixture->read_fd);
  close (fixture->protocol.fd);
  if (fixture->protocol.pending != NULL)
    g_string_free (fixture->protocol.pending, TRUE);
  g_mutex_clear (&fixture->protocol.lock);
}

/* What was written so far. */
static gchar *
written (Fixture * fixture)
{
  GString *out = g_string_new (NULL);
  gchar buffer[4096];
  ssize_t got;

  while ((got = read (fixture->read_fd, buffer, sizeof (buffer))) > 0)
    g_string_append_len (out, buffer, got);
  g_assert_cmpint (got, ==, -1);
  g_assert_cmpint (errno, ==, EAGAIN);
  return g_string_free (out, FALSE);
}

static void
assert_written (Fixture * fixture, const gchar * expected)
{
  gchar *text = written (fixture);

  g_assert_cmpstr (text, ==, expected);
  g_free (text);
}

static gchar *
json_of_string (const gchar * value)
{
  Record *record = record_new ("t");

  record_add_string (record, "v", value);
  return record_free_to_json (record);
}

static void
assert_string_json (const gchar * value, const gchar * expected)
{
  gchar *json = json_of_string (value);
  gchar *want = g_strdup_printf ("{\"type\":\"t\",\"v\":%s}", expected);

  g_assert_cmpstr (json, ==, want);
  g_free (want);
  g_free (json);
}

static void
test_escapes (void)
{
  assert_string_json ("", "\"\"");
  assert_string_json ("plain text", "\"plain text\"");
  assert_string_json ("a\"b\\c/d", "\"a\\\"b\\\\c/d\"");
  assert_string_json ("\n\r\t", "\"\\n\\r\\t\"");
  assert_string_json ("\x01\x08\x0c\x1f", "\"\\u0001\\u0008\\u000c\\u001f\"");
  /* DEL and non-ASCII characters are allowed as they are. */
  assert_string_json ("\x7f", "\"\x7f\"");
  assert_string_json ("caf\xc3\xa9 \xe2\x80\xa8 \xf0\x9f\x8e\xa5",
      "\"caf\xc3\xa9 \xe2\x80\xa8 \xf0\x9f\x8e\xa5\"");
}

/* Each byte of invalid UTF-8 (a lone byte, an overlong form, a surrogate, a
 * cut sequence) becomes U+FFFD: the supervisor reads UTF-8. */
static void
test_invalid_utf8 (void)
{
  assert_string_json ("a\xff" "b", "\"a\xef\xbf\xbd" "b\"");
  assert_string_json ("\xc3", "\"\xef\xbf\xbd\"");
  assert_string_json ("\xc0\xaf", "\"\xef\xbf\xbd\xef\xbf\xbd\"");
  assert_string_json ("\xed\xa0\x80",
      "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
  assert_string_json ("\xe2\x82", "\"\xef\xbf\xbd\xef\xbf\xbd\"");
}

/* Every byte but NUL, alone and between others: the JSON is valid UTF-8
 * without raw control characters, and decodes to the text the helper
 * meant (the input made valid). */
static void
test_every_byte (void)
{
  for (guint byte = 1; byte < 256; byte++) {
    gchar value[] = { 'x', (gchar) byte, 'y', (gchar) byte, '\0' };
    gchar *json = json_of_string (value);
    const gchar *p = json + strlen ("{\"type\":\"t\",\"v\":\"");
    gchar *decoded, *valid;

    g_assert_true (g_str_has_prefix (json, "{\"type\":\"t\",\"v\":\""));
    g_assert_true (g_utf8_validate (json, -1, NULL));
    decoded = json_decode_string (&p);
    if (decoded == NULL)
      g_error ("byte 0x%02x: not a JSON string: %s", byte, json);
    g_assert_cmpstr (p, ==, "}");
    valid = g_utf8_make_valid (value, -1);
    g_assert_cmpstr (decoded, ==, valid);
    g_free (valid);
    g_free (decoded);
    g_free (json);
  }
}

/* Keys are escaped as values are. */
static void
test_keys_escaped (void)
{
  Record *record = record_new ("a\"b");
  gchar *json;

  record_add_int (record, "k\n\xff", 1);
  json = record_free_to_json (record);
  g_assert_cmpstr (json, ==, "{\"type\":\"a\\\"b\",\"k\\n\xef\xbf\xbd\":1}");
  g_free (json);
}

static void
test_numbers (void)
{
  Record *record = record_new ("n");
  const gint64 values[] = { G_MININT64, -1, 0, G_MAXINT64 };
  gchar *json;

  record_add_int (record, "min", G_MININT64);
  record_add_int (record, "max", G_MAXINT64);
  record_add_int_array (record, "none", NULL, 0);
  record_add_int_array (record, "some", values, G_N_ELEMENTS (values));
  record_add_boolean (record, "yes", TRUE);
  record_add_boolean (record, "no", FALSE);
  json = record_free_to_json (record);
  g_assert_cmpstr (json, ==, "{\"type\":\"n\","
      "\"min\":-9223372036854775808,\"max\":9223372036854775807,"
      "\"none\":[],\"some\":[-9223372036854775808,-1,0,9223372036854775807],"
      "\"yes\":true,\"no\":false}");
  g_free (json);
}

/* Doubles in JSON's syntax (6 significant digits); NaN and infinities are
 * not numbers in JSON: their key is left out. */
static void
test_doubles (void)
{
  Record *record = record_new ("d");
  gchar *json;

  record_add_double (record, "half", 0.5);
  record_add_double (record, "nan", NAN);
  record_add_double (record, "inf", INFINITY);
  record_add_double (record, "minus_inf", -INFINITY);
  record_add_double (record, "third", 1.0 / 3);
  record_add_double (record, "big", 1e21);
  record_add_double (record, "tiny", -2.5e-7);
  record_add_double (record, "zero", 0);
  json = record_free_to_json (record);
  g_assert_cmpstr (json, ==, "{\"type\":\"d\",\"half\":0.5,"
      "\"third\":0.333333,\"big\":1e+21,\"tiny\":-2.5e-07,\"zero\":0}");
  g_free (json);
}

static void
test_emit_writes_a_line (Fixture * fixture, gconstpointer data G_GNUC_UNUSED)
{
  Record *record = record_new ("hello");

  record_add_int (record, "version", PROTOCOL_VERSION);
  record_emit (&fixture->protocol, record);
  assert_written (fixture, "{\"type\":\"hello\",\"version\":"
      G_STRINGIFY (PROTOCOL_VERSION) "}\n");
  protocol_emit_error (&fixture->protocol, "bad_value", "no \"x\"", "x 1");
  protocol_emit_error (&fixture->protocol, "internal", "oops", NULL);
  assert_written (fixture, "{\"type\":\"error\",\"code\":\"bad_value\","
      "\"message\":\"no \\\"x\\\"\",\"command\":\"x 1\"}\n"
      "{\"type\":\"error\",\"code\":\"internal\",\"message\":\"oops\"}\n");
}

/* Batched records wait for the next write, and keep their place. */
static void
test_batching_order (Fixture * fixture, gconstpointer data G_GNUC_UNUSED)
{
  protocol_flush (&fixture->protocol);
  assert_written (fixture, "");
  record_emit_batched (&fixture->protocol, record_new ("a"));
  record_emit_batched (&fixture->protocol, record_new ("b"));
  assert_written (fixture, "");
  record_emit (&fixture->protocol, record_new ("c"));
  assert_written (fixture, "{\"type\":\"a\"}\n{\"type\":\"b\"}\n"
      "{\"type\":\"c\"}\n");
  record_emit_batched (&fixture->protocol, record_new ("d"));
  protocol_flush (&fixture->protocol);
  assert_written (fixture, "{\"type\":\"d\"}\n");
  protocol_flush (&fixture->protocol);
  assert_written (fixture, "");
}

/* `bye` is the last record: what was batched before it goes first, and
 * nothing after it is written. */
static void
test_bye_last (Fixture * fixture, gconstpointer data G_GNUC_UNUSED)
{
  Record *bye = record_new ("bye");

  record_emit_batched (&fixture->protocol, record_new ("frame"));
  record_add_string (bye, "reason", "quit");
  record_emit (&fixture->protocol, bye);
  record_emit (&fixture->protocol, record_new ("late"));
  record_emit_batched (&fixture->protocol, record_new ("late_batched"));
  protocol_flush (&fixture->protocol);
  protocol_emit_error (&fixture->protocol, "internal", "late", NULL);
  assert_written (fixture, "{\"type\":\"frame\"}\n"
      "{\"type\":\"bye\",\"reason\":\"quit\"}\n");
}

typedef struct
{
  Protocol *protocol;
  guint index;
} Writer;

#define WRITERS 4
#define RECORDS_EACH 200

static gpointer
write_records (gpointer data)
{
  Writer *writer = data;

  for (guint i = 0; i < RECORDS_EACH; i++) {
    Record *record = record_new ("r");

    record_add_int (record, "writer", writer->index);
    record_add_int (record, "i", i);
    if (i % 2 == 0)
      record_emit_batched (writer->protocol, record);
    else
      record_emit (writer->protocol, record);
  }
  return NULL;
}

/* Records from several threads arrive whole, each thread's in order. */
static void
test_threads (Fixture * fixture, gconstpointer data G_GNUC_UNUSED)
{
  Writer writers[WRITERS];
  GThread *threads[WRITERS];
  guint next[WRITERS] = { 0 };
  gchar *all, **lines;

  for (guint w = 0; w < WRITERS; w++) {
    writers[w] = (Writer) {
    .protocol = &fixture->protocol,.index = w};
    threads[w] = g_thread_new ("writer", write_records, &writers[w]);
  }
  /* The pipe holds 64 KiB; the records are about 30 bytes each. */
  for (guint w = 0; w < WRITERS; w++)
    g_thread_join (threads[w]);
  protocol_flush (&fixture->protocol);
  all = written (fixture);
  lines = g_strsplit (all, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, WRITERS * RECORDS_EACH + 1);
  for (guint l = 0; l < WRITERS * RECORDS_EACH; l++) {
    guint w, i;

    if (sscanf (lines[l], "{\"type\":\"r\",\"writer\":%u,\"i\":%u}", &w,
            &i) != 2 || w >= WRITERS)
      g_error ("line %u is not a whole record: %s", l, lines[l]);
    g_assert_cmpuint (i, ==, next[w]);
    next[w]++;
  }
  g_strfreev (lines);
  g_free (all);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/protocol/escapes", test_escapes);
  g_test_add_func ("/protocol/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/protocol/every-byte", test_every_byte);
  g_test_add_func ("/protocol/keys-escaped", test_keys_escaped);
  g_test_add_func ("/protocol/numbers", test_numbers);
  g_test_add_func ("/protocol/doubles", test_doubles);
  g_test_add ("/protocol/emit-writes-a-line", Fixture, NULL, fixture_set_up,
      test_emit_writes_a_line, fixture_tear_down);
  g_test_add ("/protocol/batching-order", Fixture, NULL, fixture_set_up,
      test_batching_order, fixture_tear_down);
  g_test_add ("/protocol/bye-last", Fixture, NULL, fixture_set_up,
      test_bye_last, fixture_tear_down);
  g_test_add ("/protocol/threads", Fixture, NULL, fixture_set_up,
      test_threads, fixture_tear_down);
  return g_test_run ();
}
