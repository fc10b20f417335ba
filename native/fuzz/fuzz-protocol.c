/* The line protocol's JSON (link/protocol.c) on any text and any double:
 * what viewers send (a User-Agent, a URL, an address) ends up in records
 * the supervisor parses. The record must be valid UTF-8 and JSON, and its
 * strings must read back as the text made valid; a double must be a JSON
 * number, or its key absent when it is not finite.
 *
 * Input: the first 8 bytes are a double (host order), the rest the text,
 * up to a NUL. */
#include "fuzz/fuzz.h"

#include <math.h>
#include <string.h>

#include "link/protocol.h"
#include "tests/json-decode.h"

int
LLVMFuzzerInitialize (int *argc G_GNUC_UNUSED, char ***argv G_GNUC_UNUSED)
{
  return 0;
}

/* Reads the JSON string at *p, which must be `expected`. */
static void
expect_string (const gchar ** p, const gchar * expected)
{
  gchar *decoded;

  FUZZ_CHECK (**p == '"');
  (*p)++;
  decoded = json_decode_string (p);
  FUZZ_CHECK (decoded != NULL);
  FUZZ_CHECK (strcmp (decoded, expected) == 0);
  g_free (decoded);
}

static void
expect_text (const gchar ** p, const gchar * expected)
{
  FUZZ_CHECK (g_str_has_prefix (*p, expected));
  *p += strlen (expected);
}

/* A JSON number (RFC 8259 6) that reads back as `value`, to the 6
 * significant digits written. */
static void
expect_number (const gchar ** p, gdouble value)
{
  const gchar *c = *p;
  gchar *end;
  gdouble read;

  if (*c == '-')
    c++;
  FUZZ_CHECK (g_ascii_isdigit (*c));
  if (*c == '0')
    c++;
  else
    while (g_ascii_isdigit (*c))
      c++;
  if (*c == '.') {
    c++;
    FUZZ_CHECK (g_ascii_isdigit (*c));
    while (g_ascii_isdigit (*c))
      c++;
  }
  if (*c == 'e' || *c == 'E') {
    c++;
    if (*c == '+' || *c == '-')
      c++;
    FUZZ_CHECK (g_ascii_isdigit (*c));
    while (g_ascii_isdigit (*c))
      c++;
  }
  read = g_ascii_strtod (*p, &end);
  FUZZ_CHECK (end == c);
  FUZZ_CHECK (value == 0 ? read == 0 : fabs (read - value) <= fabs (value)
      * 1e-5);
  *p = c;
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  gdouble value = 0;
  gchar *text, *valid, *json;
  const gchar *p;
  Record *record;

  if (size >= sizeof (value)) {
    memcpy (&value, data, sizeof (value));
    data += sizeof (value);
    size -= sizeof (value);
  }
  text = g_strndup ((const gchar *) data, size);
  valid = g_utf8_make_valid (text, -1);

  record = record_new (text);
  record_add_string (record, text, text);
  record_add_double (record, "value", value);
  json = record_free_to_json (record);

  FUZZ_CHECK (g_utf8_validate (json, -1, NULL));
  FUZZ_CHECK (strchr (json, '\n') == NULL);
  p = json;
  expect_text (&p, "{\"type\":");
  expect_string (&p, valid);
  expect_text (&p, ",");
  expect_string (&p, valid);
  expect_text (&p, ":");
  expect_string (&p, valid);
  if (isfinite (value)) {
    expect_text (&p, ",\"value\":");
    expect_number (&p, value);
  }
  FUZZ_CHECK (strcmp (p, "}") == 0);

  g_free (json);
  g_free (valid);
  g_free (text);
  return 0;
}
