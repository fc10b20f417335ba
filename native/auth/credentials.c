#include "auth/credentials.h"

#include <errno.h>
#include <string.h>

#include <gio/gio.h>
#include <sys/random.h>

static gboolean
read_auth_key (guint8 * key, GError ** error)
{
  const gchar *hex = g_getenv (AUTH_KEY_ENV);

  if (hex == NULL || *hex == '\0') {
    if (getrandom (key, DIGEST_KEY_BYTES, 0) == DIGEST_KEY_BYTES)
      return TRUE;
    goto no_random_key;
  }
  if (strlen (hex) != 2 * DIGEST_KEY_BYTES)
    goto bad_key;
  for (gsize i = 0; i < DIGEST_KEY_BYTES; i++) {
    gint high = g_ascii_xdigit_value (hex[2 * i]);
    gint low = g_ascii_xdigit_value (hex[2 * i + 1]);

    if (high < 0 || low < 0)
      goto bad_key;
    key[i] = (guint8) (high << 4 | low);
  }
  return TRUE;

  /* ERRORS */
no_random_key:
  {
    gint saved_errno = errno;

    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
        "no %s given, and no random key: %s", AUTH_KEY_ENV,
        g_strerror (saved_errno));
    return FALSE;
  }
bad_key:
  {
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
        "%s must be %d hex digits", AUTH_KEY_ENV, 2 * DIGEST_KEY_BYTES);
    return FALSE;
  }
}

/* "user:password", both parts non-empty; the user may not hold a colon
 * (RFC 7617), the password may. */
gboolean
credentials_read (Credentials * credentials, GError ** error)
{
  const gchar *value = g_getenv (AUTH_ENV);
  const gchar *colon;

  if (value == NULL || *value == '\0')
    return TRUE;
  colon = strchr (value, ':');
  if (colon == NULL || colon == value || colon[1] == '\0')
    goto bad_credentials;
  credentials->user = g_strndup (value, colon - value);
  credentials->password = g_strdup (colon + 1);
  return read_auth_key (credentials->key, error);

  /* ERRORS */
bad_credentials:
  {
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
        "%s must be user:password", AUTH_ENV);
    return FALSE;
  }
}

void
credentials_clear (Credentials * credentials)
{
  if (credentials->password != NULL)
    memset (credentials->password, 0, strlen (credentials->password));
  g_clear_pointer (&credentials->password, g_free);
  g_clear_pointer (&credentials->user, g_free);
}
