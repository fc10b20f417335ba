#include "auth/redirect-token.h"

#include <string.h>

#include "auth/digest.h"

#define TOKEN_DIGITS 32
#define EXPIRY_MAX_DIGITS 12

/* "/video2/stream=0" -> "video2": the front door's routing key. */
static gchar *
video_of_path (const gchar * path)
{
  const gchar *start, *end;

  if (path == NULL || path[0] != '/')
    return g_strdup ("");
  start = path + 1;
  end = strchr (start, '/');
  return end == NULL ? g_strdup (start) : g_strndup (start, end - start);
}

static gboolean
parse_expiry (const gchar * digits, gint64 * expiry)
{
  gsize length = strlen (digits);

  if (length == 0 || length > EXPIRY_MAX_DIGITS)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isdigit (digits[i]))
      return FALSE;
  *expiry = g_ascii_strtoll (digits, NULL, 10);
  return TRUE;
}

RedirectTokenCheck
redirect_token_password (const guint8 * key, const gchar * user,
    const gchar * address, const gchar * path, gint64 now_s,
    gboolean in_session, gchar ** password)
{
  const gchar *digits;
  gchar *video, *signed_text;
  gint64 expiry;

  *password = NULL;
  if (user == NULL || !g_str_has_prefix (user, REDIRECT_TOKEN_USER_PREFIX))
    return REDIRECT_TOKEN_NONE;
  digits = user + strlen (REDIRECT_TOKEN_USER_PREFIX);
  if (!parse_expiry (digits, &expiry)
      || expiry > now_s + REDIRECT_TOKEN_MAX_LIFETIME_S)
    return REDIRECT_TOKEN_MALFORMED;
  if (expiry < now_s && !in_session)
    return REDIRECT_TOKEN_EXPIRED;

  video = video_of_path (path);
  signed_text = g_strdup_printf ("%s\n%s\n%s", digits, address, video);
  *password = g_compute_hmac_for_string (G_CHECKSUM_SHA256, key,
      DIGEST_KEY_BYTES, signed_text, -1);
  (*password)[TOKEN_DIGITS] = '\0';
  g_free (signed_text);
  g_free (video);
  return REDIRECT_TOKEN_USABLE;
}
