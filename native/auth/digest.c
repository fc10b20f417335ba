#include "auth/digest.h"

#include <string.h>

/* "<expiry: 12 hex digits><HMAC-SHA256 of "<expiry>:<address>": its first
 * 32 hex digits>", lower case. */
#define EXPIRY_DIGITS 12
#define MAC_DIGITS 32
#define NONCE_LENGTH (EXPIRY_DIGITS + MAC_DIGITS)

static gchar *
mac_of (const guint8 * key, const gchar * expiry, const gchar * address)
{
  gchar *signed_text = g_strdup_printf ("%s:%s", expiry, address);
  gchar *mac = g_compute_hmac_for_string (G_CHECKSUM_SHA256, key,
      DIGEST_KEY_BYTES, signed_text, -1);

  mac[MAC_DIGITS] = '\0';
  g_free (signed_text);
  return mac;
}

gchar *
digest_nonce_new (const guint8 * key, gint64 now_s, const gchar * address)
{
  gchar *expiry = g_strdup_printf ("%012" G_GINT64_MODIFIER "x",
      now_s + DIGEST_NONCE_LIFETIME_S);
  gchar *mac = mac_of (key, expiry, address);
  gchar *nonce = g_strconcat (expiry, mac, NULL);

  g_free (mac);
  g_free (expiry);
  return nonce;
}

NonceCheck
digest_nonce_check (const guint8 * key, const gchar * nonce, gint64 now_s,
    const gchar * address)
{
  gchar lower[NONCE_LENGTH + 1];
  gchar expiry[EXPIRY_DIGITS + 1];
  gchar *mac;
  gboolean authentic;
  gint64 expires_s;

  if (strlen (nonce) != NONCE_LENGTH)
    return NONCE_INVALID;
  for (gsize i = 0; i < NONCE_LENGTH; i++) {
    if (!g_ascii_isxdigit (nonce[i]))
      return NONCE_INVALID;
    lower[i] = g_ascii_tolower (nonce[i]);
  }
  lower[NONCE_LENGTH] = '\0';
  memcpy (expiry, lower, EXPIRY_DIGITS);
  expiry[EXPIRY_DIGITS] = '\0';
  mac = mac_of (key, expiry, address);
  authentic = digest_equal (mac, lower + EXPIRY_DIGITS);
  g_free (mac);
  if (!authentic)
    return NONCE_INVALID;
  expires_s = g_ascii_strtoll (expiry, NULL, 16);
  return now_s <= expires_s ? NONCE_VALID : NONCE_STALE;
}

/* *INDENT-OFF* */
static gchar *md5_of_parts (const gchar * first, ...) G_GNUC_NULL_TERMINATED;
/* *INDENT-ON* */

/* MD5 of the parts joined with ':'. */
static gchar *
md5_of_parts (const gchar * first, ...)
{
  GChecksum *checksum = g_checksum_new (G_CHECKSUM_MD5);
  const gchar *part = first;
  gchar *hex;
  va_list args;

  va_start (args, first);
  g_checksum_update (checksum, (const guchar *) part, -1);
  while ((part = va_arg (args, gchar *)) != NULL) {
    g_checksum_update (checksum, (const guchar *) ":", 1);
    g_checksum_update (checksum, (const guchar *) part, -1);
  }
  va_end (args);
  hex = g_strdup (g_checksum_get_string (checksum));
  g_checksum_free (checksum);
  return hex;
}

gchar *
digest_response (const gchar * user, const gchar * realm,
    const gchar * password, const gchar * method, const gchar * uri,
    const gchar * nonce)
{
  gchar *ha1 = md5_of_parts (user, realm, password, NULL);
  gchar *ha2 = md5_of_parts (method, uri, NULL);
  gchar *response = md5_of_parts (ha1, nonce, ha2, NULL);

  g_free (ha2);
  g_free (ha1);
  return response;
}

gboolean
digest_equal (const gchar * a, const gchar * b)
{
  gsize length = strlen (a);
  guint8 difference = length != strlen (b);

  for (gsize i = 0; i < length && b[i] != '\0'; i++)
    difference |= (guint8) (a[i] ^ b[i]);
  return difference == 0;
}

/* The path and query of `rtsp://host[:port]/path?query` or of
 * `/path?query`, or NULL when it is neither. */
static const gchar *
path_and_query (const gchar * target)
{
  const gchar *authority = strstr (target, "://");
  const gchar *path;

  if (target[0] == '/')
    return target;
  if (authority == NULL || authority == target)
    return NULL;
  for (const gchar * c = target; c < authority; c++)
    if (!g_ascii_isalnum (*c) && *c != '+' && *c != '-' && *c != '.')
      return NULL;
  path = strpbrk (authority + 3, "/?#");
  return path == NULL ? "" : path;
}

gboolean
digest_uri_names (const gchar * uri, const gchar * request_uri)
{
  const gchar *uri_path, *request_path;

  if (g_strcmp0 (uri, request_uri) == 0)
    return TRUE;
  uri_path = path_and_query (uri);
  request_path = path_and_query (request_uri);
  return uri_path != NULL && request_path != NULL
      && strchr (uri_path, '#') == NULL && strchr (request_path, '#') == NULL
      && g_str_equal (uri_path, request_path);
}
