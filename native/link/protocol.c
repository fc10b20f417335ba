#include "link/protocol.h"

#include <errno.h>
#include <math.h>
#include <unistd.h>

struct _Record
{
  GString *line;
  gboolean is_bye;
};

static void
append_json_string (GString * out, const gchar * value)
{
  gchar *valid = g_utf8_make_valid (value, -1);
  const gchar *p;

  g_string_append_c (out, '"');
  for (p = valid; *p != '\0'; p++) {
    guchar c = (guchar) * p;

    switch (c) {
      case '"':
        g_string_append (out, "\\\"");
        break;
      case '\\':
        g_string_append (out, "\\\\");
        break;
      case '\n':
        g_string_append (out, "\\n");
        break;
      case '\r':
        g_string_append (out, "\\r");
        break;
      case '\t':
        g_string_append (out, "\\t");
        break;
      default:
        if (c < 0x20)
          g_string_append_printf (out, "\\u%04x", c);
        else
          g_string_append_c (out, (gchar) c);
        break;
    }
  }
  g_string_append_c (out, '"');
  g_free (valid);
}

static void
append_key (Record * record, const gchar * key)
{
  g_string_append_c (record->line, ',');
  append_json_string (record->line, key);
  g_string_append_c (record->line, ':');
}

void
protocol_init (Protocol * protocol, gint fd)
{
  protocol->fd = fd;
  protocol->bye_written = FALSE;
}

Record *
record_new (const gchar * type)
{
  Record *record = g_new0 (Record, 1);

  record->line = g_string_new ("{\"type\":");
  append_json_string (record->line, type);
  record->is_bye = g_str_equal (type, "bye");
  return record;
}

void
record_add_string (Record * record, const gchar * key, const gchar * value)
{
  append_key (record, key);
  append_json_string (record->line, value);
}

void
record_add_int (Record * record, const gchar * key, gint64 value)
{
  append_key (record, key);
  g_string_append_printf (record->line, "%" G_GINT64_FORMAT, value);
}

void
record_add_double (Record * record, const gchar * key, gdouble value)
{
  gchar buf[G_ASCII_DTOSTR_BUF_SIZE];

  /* JSON has no NaN or infinity: an unknown value is an absent key. */
  if (!isfinite (value))
    return;
  append_key (record, key);
  g_string_append (record->line, g_ascii_formatd (buf, sizeof (buf), "%.6g",
          value));
}

void
record_add_int_array (Record * record, const gchar * key,
    const gint64 * values, guint count)
{
  append_key (record, key);
  g_string_append_c (record->line, '[');
  for (guint i = 0; i < count; i++)
    g_string_append_printf (record->line, i == 0 ? "%" G_GINT64_FORMAT
        : ",%" G_GINT64_FORMAT, values[i]);
  g_string_append_c (record->line, ']');
}

void
record_add_boolean (Record * record, const gchar * key, gboolean value)
{
  append_key (record, key);
  g_string_append (record->line, value ? "true" : "false");
}

static void
write_all (gint fd, const gchar * data, gsize size)
{
  while (size > 0) {
    ssize_t written = write (fd, data, size);

    if (written < 0) {
      if (errno == EINTR)
        continue;
      /* The reader is gone (EPIPE): stdin EOF will stop us. */
      return;
    }
    data += written;
    size -= (gsize) written;
  }
}

/* With the lock. */
static void
write_pending (Protocol * protocol)
{
  if (protocol->pending != NULL && protocol->pending->len > 0) {
    write_all (protocol->fd, protocol->pending->str, protocol->pending->len);
    g_string_truncate (protocol->pending, 0);
  }
}

void
record_emit (Protocol * protocol, Record * record)
{
  g_string_append (record->line, "}\n");

  /* One write(2) of whole lines: a pipe reader never sees half a record,
   * and records from streaming threads never interleave. */
  g_mutex_lock (&protocol->lock);
  if (!protocol->bye_written) {
    if (protocol->pending != NULL && protocol->pending->len > 0) {
      g_string_append_len (protocol->pending, record->line->str,
          record->line->len);
      write_pending (protocol);
    } else {
      write_all (protocol->fd, record->line->str, record->line->len);
    }
    protocol->bye_written = record->is_bye;
  }
  g_mutex_unlock (&protocol->lock);

  g_string_free (record->line, TRUE);
  g_free (record);
}

gchar *
record_free_to_json (Record * record)
{
  gchar *json;

  g_string_append_c (record->line, '}');
  json = g_string_free (record->line, FALSE);
  g_free (record);
  return json;
}

void
record_emit_batched (Protocol * protocol, Record * record)
{
  g_string_append (record->line, "}\n");

  g_mutex_lock (&protocol->lock);
  if (!protocol->bye_written) {
    if (protocol->pending == NULL)
      protocol->pending = g_string_sized_new (4096);
    g_string_append_len (protocol->pending, record->line->str,
        record->line->len);
  }
  g_mutex_unlock (&protocol->lock);

  g_string_free (record->line, TRUE);
  g_free (record);
}

void
protocol_flush (Protocol * protocol)
{
  g_mutex_lock (&protocol->lock);
  if (!protocol->bye_written)
    write_pending (protocol);
  g_mutex_unlock (&protocol->lock);
}

void
protocol_emit_error (Protocol * protocol, const gchar * code,
    const gchar * message, const gchar * command)
{
  Record *record = record_new ("error");

  record_add_string (record, "code", code);
  record_add_string (record, "message", message);
  if (command != NULL)
    record_add_string (record, "command", command);
  record_emit (protocol, record);
}
