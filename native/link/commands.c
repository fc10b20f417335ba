#include "link/commands.h"

#include <malloc.h>
#include <string.h>
#include <unistd.h>


struct _Commands
{
  Protocol *protocol;
  CommandHandlers handlers;
  gpointer user_data;
  GIOChannel *channel;
  guint watch;
};

typedef struct
{
  const gchar *name;
  guint min_arguments;
  guint max_arguments;
  const gchar *help;
  void (*func) (Commands * commands, gchar ** arguments, const gchar * line);
} Command;

static void
cmd_bitrate (Commands * commands, gchar ** arguments, const gchar * line)
{
  guint64 kbps, encoder = 0;
  GError *error = NULL;
  gboolean found = FALSE;

  if (!g_ascii_string_to_unsigned (arguments[0], 10, PROTOCOL_MIN_BITRATE_KBPS,
          PROTOCOL_MAX_BITRATE_KBPS, &kbps, &error))
    goto bad_value;
  if (arguments[1] != NULL && !g_ascii_string_to_unsigned (arguments[1], 10,
          1, G_MAXUINT, &encoder, &error))
    goto bad_value;
  found = commands->handlers.set_bitrate ((guint) encoder, (guint) kbps,
      commands->user_data);
  if (!found)
    goto no_encoder;
  return;

  /* ERRORS */
bad_value:
  {
    gchar *message = g_strdup_printf ("bitrate: %s", error->message);

    protocol_emit_error (commands->protocol, "bad_value", message, line);
    g_free (message);
    g_error_free (error);
    return;
  }
no_encoder:
  {
    gchar *message = g_strdup_printf ("bitrate: no encoder %" G_GUINT64_FORMAT
        " (it stopped with its last viewer)", encoder);

    protocol_emit_error (commands->protocol, "no_encoder", message, line);
    g_free (message);
    return;
  }
}

/* A session token: what the supervisor makes (letters, digits, - and _). */
static gboolean
is_token (const gchar * text)
{
  gsize length = strlen (text);

  return length >= 1 && length <= 64
      && strspn (text, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
      "0123456789-_") == length;
}

/* Base64 that decodes to something: g_base64_decode() takes anything. */
static guchar *
decode_base64 (const gchar * text, gsize * size)
{
  gsize length = strlen (text);

  if (length == 0 || length % 4 != 0 || strspn (text,
          "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=")
      != length)
    return NULL;
  return g_base64_decode (text, size);
}

static void
cmd_whep_offer (Commands * commands, gchar ** arguments, const gchar * line)
{
  const gchar *token = arguments[0], *mount = arguments[1];
  guchar *sdp = NULL, *user_agent = NULL;
  gsize size, agent_size;

  if (!is_token (token) || mount[0] != '/')
    goto bad_value;
  sdp = decode_base64 (arguments[3], &size);
  if (sdp == NULL)
    goto bad_value;
  if (arguments[4] != NULL) {
    user_agent = decode_base64 (arguments[4], &agent_size);
    if (user_agent == NULL)
      goto bad_value;
    /* A NUL-terminated, printable copy. */
    user_agent = g_realloc (user_agent, agent_size + 1);
    user_agent[agent_size] = '\0';
    g_strcanon ((gchar *) user_agent, " !\"#$%&'()*+,-./0123456789:;<=>?@"
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~", '?');
  }
  commands->handlers.whep_offer (token, mount, arguments[2],
      (const gchar *) user_agent, (const gchar *) sdp, size,
      commands->user_data);
  g_free (sdp);
  g_free (user_agent);
  return;

  /* ERRORS */
bad_value:
  {
    protocol_emit_error (commands->protocol, "bad_value", "whep-offer: "
        "TOKEN is letters, digits, - and _; MOUNT starts with /; SDP and "
        "USER_AGENT are base64", line);
    g_free (sdp);
    return;
  }
}

static void
cmd_whep_close (Commands * commands, gchar ** arguments, const gchar * line)
{
  if (commands->handlers.whep_close (arguments[0], commands->user_data))
    return;
  protocol_emit_error (commands->protocol, "no_session",
      "whep-close: no such session (it ended)", line);
}

/* Resident pages, from /proc/self/statm; -1 when unknown. */
static gint64
resident_kib (void)
{
  gchar *text = NULL;
  gint64 pages = -1;

  if (g_file_get_contents ("/proc/self/statm", &text, NULL, NULL)) {
    gchar **fields = g_strsplit (text, " ", 3);

    if (fields[0] != NULL && fields[1] != NULL)
      pages = g_ascii_strtoll (fields[1], NULL, 10);
    g_strfreev (fields);
  }
  g_free (text);
  return pages < 0 ? -1 : pages * (sysconf (_SC_PAGESIZE) / 1024);
}

/* What the heap holds once freed memory went back to the system: a leak
 * grows `heap_in_use_bytes`, the allocator's caching only `rss_kib`. */
static void
cmd_memory (Commands * commands, gchar ** arguments G_GNUC_UNUSED,
    const gchar * line G_GNUC_UNUSED)
{
  Record *record = record_new ("memory");
  struct mallinfo2 info;

  malloc_trim (0);
  info = mallinfo2 ();
  record_add_int (record, "heap_in_use_bytes", info.uordblks + info.hblkhd);
  record_add_int (record, "heap_free_bytes", info.fordblks);
  record_add_int (record, "rss_kib", resident_kib ());
  record_emit (commands->protocol, record);
}

static void
cmd_quit (Commands * commands, gchar ** arguments G_GNUC_UNUSED,
    const gchar * line G_GNUC_UNUSED)
{
  commands->handlers.quit ("quit", commands->user_data);
}

static const Command command_table[] = {
  {"bitrate", 1, 2, "bitrate N [ENCODER]: bitrate in kbit/s of one encoder, "
        "or of all and those to come", cmd_bitrate},
  {"memory", 0, 0, "memory: hand freed memory back, then report memory use",
      cmd_memory},
  {"whep-offer", 4, 5, "whep-offer TOKEN MOUNT ADDRESS SDP [USER_AGENT]: "
        "a WebRTC viewer's offer (base64), answered by a whep record",
      cmd_whep_offer},
  {"whep-close", 1, 1, "whep-close TOKEN: end a WebRTC viewer's session",
      cmd_whep_close},
  {"quit", 0, 0, "quit: stop cleanly", cmd_quit},
  {NULL},
};

static void
emit_bad_command (Commands * commands, const gchar * line)
{
  GString *message = g_string_new ("unknown command or wrong arguments; "
      "commands are:");
  const Command *command;

  for (command = command_table; command->name != NULL; command++)
    g_string_append_printf (message, " \"%s\"", command->help);
  protocol_emit_error (commands->protocol, "bad_command", message->str, line);
  g_string_free (message, TRUE);
}

static void
handle_line (Commands * commands, gchar * line)
{
  const Command *command;
  gchar **words;
  guint n_words;

  g_strstrip (line);
  if (*line == '\0')
    return;

  words = g_strsplit (line, " ", 0);
  n_words = g_strv_length (words);
  for (command = command_table; command->name != NULL; command++) {
    if (g_str_equal (command->name, words[0])
        && n_words >= command->min_arguments + 1
        && n_words <= command->max_arguments + 1)
      break;
  }

  if (command->name == NULL)
    emit_bad_command (commands, line);
  else
    command->func (commands, words + 1, line);
  g_strfreev (words);
}

static gboolean
on_stdin (GIOChannel * channel, GIOCondition condition G_GNUC_UNUSED,
    gpointer user_data)
{
  Commands *commands = user_data;
  GIOStatus status;
  gchar *line = NULL;
  GError *error = NULL;

  /* Drain every complete line: the channel may buffer more than one. */
  while ((status = g_io_channel_read_line (channel, &line, NULL, NULL,
              &error)) == G_IO_STATUS_NORMAL) {
    handle_line (commands, line);
    g_clear_pointer (&line, g_free);
  }

  switch (status) {
    case G_IO_STATUS_AGAIN:
      return G_SOURCE_CONTINUE;
    case G_IO_STATUS_ERROR:{
      gchar *message = g_strdup_printf ("reading stdin: %s", error->message);

      protocol_emit_error (commands->protocol, "internal", message, NULL);
      g_free (message);
      g_error_free (error);
      break;
    }
    case G_IO_STATUS_EOF:
    case G_IO_STATUS_NORMAL:
      break;
  }
  commands->watch = 0;
  commands->handlers.quit ("eof", commands->user_data);
  return G_SOURCE_REMOVE;
}

Commands *
commands_new (Protocol * protocol, const CommandHandlers * handlers,
    gpointer user_data, GError ** error)
{
  GIOChannel *channel = g_io_channel_unix_new (STDIN_FILENO);
  Commands *commands;

  /* Bytes, not UTF-8: a bad line is a bad command, not a read error. */
  if (g_io_channel_set_encoding (channel, NULL, error) != G_IO_STATUS_NORMAL
      || g_io_channel_set_flags (channel, G_IO_FLAG_NONBLOCK,
          error) != G_IO_STATUS_NORMAL) {
    g_io_channel_unref (channel);
    return NULL;
  }
  commands = g_new0 (Commands, 1);
  commands->protocol = protocol;
  commands->handlers = *handlers;
  commands->user_data = user_data;
  commands->channel = channel;
  commands->watch = g_io_add_watch (channel, G_IO_IN | G_IO_HUP | G_IO_ERR,
      on_stdin, commands);
  return commands;
}

void
commands_free (Commands * commands)
{
  g_clear_handle_id (&commands->watch, g_source_remove);
  g_io_channel_unref (commands->channel);
  g_free (commands);
}
