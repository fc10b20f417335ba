#include "commands.h"

#include <unistd.h>

#include "media.h"

typedef struct
{
  const gchar *name;
  gboolean has_argument;
  const gchar *help;
  void (*func) (App * app, const gchar * argument, const gchar * line);
} Command;

static void
cmd_bitrate (App * app, const gchar * argument, const gchar * line)
{
  guint64 kbps;
  GError *error = NULL;

  if (!g_ascii_string_to_unsigned (argument, 10, MIN_BITRATE_KBPS,
          MAX_BITRATE_KBPS, &kbps, &error))
    goto bad_value;
  media_set_bitrate (app, (guint) kbps);
  return;

  /* ERRORS */
bad_value:
  {
    gchar *message = g_strdup_printf ("bitrate: %s", error->message);

    protocol_emit_error (&app->protocol, "bad_value", message, line);
    g_free (message);
    g_error_free (error);
  }
}

static void
cmd_quit (App * app, const gchar * argument G_GNUC_UNUSED,
    const gchar * line G_GNUC_UNUSED)
{
  app_quit (app, "quit", EXIT_OK);
}

static const Command commands[] = {
  {"bitrate", TRUE, "bitrate N: encoder bitrate in kbit/s", cmd_bitrate},
  {"quit", FALSE, "quit: stop cleanly", cmd_quit},
  {NULL},
};

static void
emit_bad_command (App * app, const gchar * line)
{
  GString *message = g_string_new ("unknown command or wrong arguments; "
      "commands are:");
  const Command *command;

  for (command = commands; command->name != NULL; command++)
    g_string_append_printf (message, " \"%s\"", command->help);
  protocol_emit_error (&app->protocol, "bad_command", message->str, line);
  g_string_free (message, TRUE);
}

static void
handle_line (App * app, gchar * line)
{
  const Command *command;
  gchar **words;
  guint n_words;

  g_strstrip (line);
  if (*line == '\0')
    return;

  words = g_strsplit (line, " ", 0);
  n_words = g_strv_length (words);
  for (command = commands; command->name != NULL; command++) {
    if (g_str_equal (command->name, words[0])
        && n_words == (command->has_argument ? 2u : 1u))
      break;
  }

  if (command->name == NULL)
    emit_bad_command (app, line);
  else
    command->func (app, words[1], line);
  g_strfreev (words);
}

static gboolean
on_stdin (GIOChannel * channel, GIOCondition condition G_GNUC_UNUSED,
    gpointer user_data)
{
  App *app = user_data;
  GIOStatus status;
  gchar *line = NULL;
  GError *error = NULL;

  /* Drain every complete line: the channel may buffer more than one. */
  while ((status = g_io_channel_read_line (channel, &line, NULL, NULL,
              &error)) == G_IO_STATUS_NORMAL) {
    handle_line (app, line);
    g_clear_pointer (&line, g_free);
  }

  switch (status) {
    case G_IO_STATUS_AGAIN:
      return G_SOURCE_CONTINUE;
    case G_IO_STATUS_ERROR:{
      gchar *message = g_strdup_printf ("reading stdin: %s", error->message);

      protocol_emit_error (&app->protocol, "internal", message, NULL);
      g_free (message);
      g_error_free (error);
      break;
    }
    case G_IO_STATUS_EOF:
    case G_IO_STATUS_NORMAL:
      break;
  }
  app->stdin_watch = 0;
  app_quit (app, "eof", EXIT_OK);
  return G_SOURCE_REMOVE;
}

gboolean
commands_watch_stdin (App * app, GError ** error)
{
  GIOChannel *channel = g_io_channel_unix_new (STDIN_FILENO);

  /* Bytes, not UTF-8: a bad line is a bad command, not a read error. */
  if (g_io_channel_set_encoding (channel, NULL, error) != G_IO_STATUS_NORMAL
      || g_io_channel_set_flags (channel, G_IO_FLAG_NONBLOCK,
          error) != G_IO_STATUS_NORMAL) {
    g_io_channel_unref (channel);
    return FALSE;
  }
  app->stdin_channel = channel;
  app->stdin_watch = g_io_add_watch (channel, G_IO_IN | G_IO_HUP | G_IO_ERR,
      on_stdin, app);
  return TRUE;
}

void
commands_unwatch_stdin (App * app)
{
  g_clear_handle_id (&app->stdin_watch, g_source_remove);
  g_clear_pointer (&app->stdin_channel, g_io_channel_unref);
}
