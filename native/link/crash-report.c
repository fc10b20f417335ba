#include "link/crash-report.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

/* A request's fields as JSON members (`"method":"SETUP",...`), without
 * braces; longer text is cut at a member. */
#define REQUEST_TEXT_BYTES 1536
/* Requests of every thread, newest last: the one the crash record names
 * when the crashing thread was serving none. */
#define RECENT_SLOTS 8

typedef struct
{
  gint sequence;                /* odd while being written */
  gsize length;
  gchar text[REQUEST_TEXT_BYTES];
} RequestSlot;

static gint fd_out = -1;
static gint next_slot;          /* atomic */
static RequestSlot recent[RECENT_SLOTS];
/* The crashing thread's own, read by the handler on that thread. */
static __thread RequestSlot serving;

static const struct
{
  gint number;
  const gchar *name;
} fatal_signals[] = {
  {SIGABRT, "SIGABRT"}, {SIGSEGV, "SIGSEGV"}, {SIGBUS, "SIGBUS"},
  {SIGFPE, "SIGFPE"}, {SIGILL, "SIGILL"}, {SIGTRAP, "SIGTRAP"},
};

/* The whole record, written with one write(2): a pipe takes up to
 * PIPE_BUF (4096) bytes whole, so the records other threads go on writing
 * meanwhile cannot cut into it. */
typedef struct
{
  gchar text[4096];
  gsize length;
} CrashLine;

/* Async-signal-safe. */
static void
append (CrashLine * line, const gchar * text, gsize length)
{
  length = MIN (length, sizeof line->text - line->length);
  memcpy (line->text + line->length, text, length);
  line->length += length;
}

static void
append_string (CrashLine * line, const gchar * text)
{
  append (line, text, strlen (text));
}

/* Copies a slot that no thread writes meanwhile; FALSE when it was being
 * written or is empty. Async-signal-safe. */
static gboolean
read_slot (RequestSlot * slot, RequestSlot * copy)
{
  gint before = g_atomic_int_get (&slot->sequence);

  if (before % 2 != 0 || slot->length == 0)
    return FALSE;
  memcpy (copy, slot, sizeof *copy);
  return g_atomic_int_get (&slot->sequence) == before;
}

static void
on_fatal_signal (gint number)
{
  static RequestSlot copy;
  static CrashLine line;
  const gchar *name = "unknown";
  gboolean serving_known;
  ssize_t written;

  for (gsize i = 0; i < G_N_ELEMENTS (fatal_signals); i++)
    if (fatal_signals[i].number == number)
      name = fatal_signals[i].name;

  /* A newline first ends any record another thread was writing. */
  append_string (&line, "\n{\"type\":\"crash\",\"signal\":\"");
  append_string (&line, name);
  append_string (&line, "\"");
  serving_known = serving.length > 0;
  if (serving_known)
    memcpy (&copy, &serving, sizeof copy);
  else
    for (guint i = 0, newest = (guint) g_atomic_int_get (&next_slot) - 1;
        i < RECENT_SLOTS && !serving_known; i++)
      serving_known = read_slot (&recent[(newest - i) % RECENT_SLOTS], &copy);
  if (serving_known) {
    append_string (&line, serving.length > 0 ? ",\"serving\":true" :
        ",\"serving\":false");
    append (&line, copy.text, copy.length);
  }
  append_string (&line, "}\n");
  /* A failed write has nobody to tell. */
  written = write (fd_out, line.text, line.length);
  (void) written;

  signal (number, SIG_DFL);
  raise (number);
}

void
crash_report_install (gint fd)
{
  struct sigaction action = { 0 };

  fd_out = fd;
  action.sa_handler = on_fatal_signal;
  sigemptyset (&action.sa_mask);
  /* Once: a second fault inside the handler dies at once. */
  action.sa_flags = SA_RESETHAND;
  for (gsize i = 0; i < G_N_ELEMENTS (fatal_signals); i++)
    sigaction (fatal_signals[i].number, &action, NULL);
}

/* The request's members, each after a comma (`,"method":"SETUP"`): the
 * record's text past its type, without the closing brace. Values are cut
 * shorter until they fit. */
static gsize
format_request (guint client_id, const gchar * address, guint port,
    GstRTSPContext * ctx, gchar * out)
{
  static const gchar prefix[] = "{\"type\":\"crash\"";
  GstRTSPMethod method = GST_RTSP_INVALID;
  const gchar *uri = NULL;
  gchar *transport = NULL;
  gsize length = 0;

  gst_rtsp_message_parse_request (ctx->request, &method, &uri, NULL);
  gst_rtsp_message_get_header (ctx->request, GST_RTSP_HDR_TRANSPORT,
      &transport, 0);
  for (gsize max_value = REQUEST_TEXT_BYTES / 4; max_value > 0; max_value /= 2) {
    Record *record = record_new ("crash");
    gchar *text, *value;

    record_add_int (record, "client_id", client_id);
    if (address != NULL) {
      record_add_string (record, "address", address);
      record_add_int (record, "port", port);
    }
    record_add_string (record, "method", gst_rtsp_method_as_text (method));
    if (uri != NULL) {
      value = g_strndup (uri, max_value);
      record_add_string (record, "url", value);
      g_free (value);
    }
    if (transport != NULL) {
      value = g_strndup (transport, max_value);
      record_add_string (record, "transport", value);
      g_free (value);
    }
    text = record_free_to_json (record);
    length = strlen (text) - (sizeof prefix - 1) - 1;
    if (length <= REQUEST_TEXT_BYTES)
      memcpy (out, text + sizeof prefix - 1, length);
    g_free (text);
    if (length <= REQUEST_TEXT_BYTES)
      return length;
  }
  return 0;
}

static void
fill_slot (RequestSlot * slot, const gchar * text, gsize length)
{
  g_atomic_int_inc (&slot->sequence);
  memcpy (slot->text, text, length);
  slot->length = length;
  g_atomic_int_inc (&slot->sequence);
}

void
crash_report_note_request (guint client_id, const gchar * address,
    guint port, GstRTSPContext * ctx)
{
  gchar text[REQUEST_TEXT_BYTES];
  gsize length;

  if (ctx == NULL || ctx->request == NULL)
    return;
  length = format_request (client_id, address, port, ctx, text);
  fill_slot (&serving, text, length);
  fill_slot (&recent[(guint) g_atomic_int_add (&next_slot, 1) % RECENT_SLOTS],
      text, length);
}

void
crash_report_note_answered (void)
{
  serving.length = 0;
}
