/* A strict decoder of the JSON strings the line protocol writes, for the
 * tests and fuzz targets that read back what link/protocol.c wrote. */
#ifndef RTSP_HELPER_TESTS_JSON_DECODE_H
#define RTSP_HELPER_TESTS_JSON_DECODE_H

#include <glib.h>

/* Reads one JSON string at *p (after its opening quote) strictly, as RFC
 * 8259 has it: returns the decoded text and moves *p past the closing
 * quote, or returns NULL at anything JSON forbids (a raw control
 * character, an unknown escape, a surrogate escape: the helper writes
 * none). */
static inline gchar *
json_decode_string (const gchar ** p)
{
  GString *out = g_string_new (NULL);
  const gchar *c = *p;

  while (*c != '"') {
    guchar byte = (guchar) * c;

    if (byte < 0x20)
      goto invalid;
    if (byte != '\\') {
      g_string_append_c (out, *c++);
      continue;
    }
    c++;
    switch (*c++) {
      case '"':
        g_string_append_c (out, '"');
        break;
      case '\\':
        g_string_append_c (out, '\\');
        break;
      case '/':
        g_string_append_c (out, '/');
        break;
      case 'n':
        g_string_append_c (out, '\n');
        break;
      case 'r':
        g_string_append_c (out, '\r');
        break;
      case 't':
        g_string_append_c (out, '\t');
        break;
      case 'b':
        g_string_append_c (out, '\b');
        break;
      case 'f':
        g_string_append_c (out, '\f');
        break;
      case 'u':{
        gunichar code = 0;

        for (guint i = 0; i < 4; i++, c++) {
          if (!g_ascii_isxdigit (*c))
            goto invalid;
          code = code << 4 | g_ascii_xdigit_value (*c);
        }
        if (code >= 0xd800 && code < 0xe000)
          goto invalid;
        g_string_append_unichar (out, code);
        break;
      }
      default:
        goto invalid;
    }
  }
  *p = c + 1;
  return g_string_free (out, FALSE);

invalid:
  g_string_free (out, TRUE);
  return NULL;
}

#endif /* RTSP_HELPER_TESTS_JSON_DECODE_H */
