/* The viewers' credentials and the nonce key, read from the environment. */
#include "auth/credentials.h"

#include <string.h>

#define KEY_HEX "000102030405060708090a0b0c0d0e0f" \
  "101112131415161718191A1B1C1D1E1F"

/* Reads with these variables (NULL: unset). */
static gboolean
read_with (const gchar * auth, const gchar * key, Credentials * credentials,
    GError ** error)
{
  memset (credentials, 0, sizeof (*credentials));
  if (auth != NULL)
    g_setenv (AUTH_ENV, auth, TRUE);
  else
    g_unsetenv (AUTH_ENV);
  if (key != NULL)
    g_setenv (AUTH_KEY_ENV, key, TRUE);
  else
    g_unsetenv (AUTH_KEY_ENV);
  return credentials_read (credentials, error);
}

static void
test_no_authentication (void)
{
  Credentials credentials;
  GError *error = NULL;

  g_assert_true (read_with (NULL, KEY_HEX, &credentials, &error));
  g_assert_no_error (error);
  g_assert_null (credentials.user);
  g_assert_true (read_with ("", NULL, &credentials, &error));
  g_assert_null (credentials.user);
}

/* The user ends at the first colon; the password may hold more. */
static void
test_user_and_password (void)
{
  Credentials credentials;
  GError *error = NULL;

  g_assert_true (read_with ("viewer:pa:ss word", KEY_HEX, &credentials,
          &error));
  g_assert_no_error (error);
  g_assert_cmpstr (credentials.user, ==, "viewer");
  g_assert_cmpstr (credentials.password, ==, "pa:ss word");
  for (guint i = 0; i < DIGEST_KEY_BYTES; i++)
    g_assert_cmpuint (credentials.key[i], ==, i);
  credentials_clear (&credentials);
}

static void
test_malformed_credentials (void)
{
  const gchar *malformed[] = { "viewer", ":password", "viewer:", ":" };

  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++) {
    Credentials credentials;
    GError *error = NULL;

    g_assert_false (read_with (malformed[i], KEY_HEX, &credentials, &error));
    g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
    g_assert_nonnull (strstr (error->message, AUTH_ENV));
    g_error_free (error);
    credentials_clear (&credentials);
  }
}

static void
test_malformed_key (void)
{
  const gchar *malformed[] = {
    "00",
    KEY_HEX "00",
    "g00102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
    "0001020304050607 8090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
  };

  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++) {
    Credentials credentials;
    GError *error = NULL;

    g_assert_false (read_with ("viewer:pw", malformed[i], &credentials,
            &error));
    g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
    g_assert_nonnull (strstr (error->message, AUTH_KEY_ENV));
    g_error_free (error);
    credentials_clear (&credentials);
  }
}

/* Without a key, a random one: two helpers do not share it. */
static void
test_random_key (void)
{
  Credentials first, second;
  GError *error = NULL;

  g_assert_true (read_with ("viewer:pw", NULL, &first, &error));
  g_assert_true (read_with ("viewer:pw", "", &second, &error));
  g_assert_no_error (error);
  g_assert_false (memcmp (first.key, second.key, DIGEST_KEY_BYTES) == 0);
  credentials_clear (&first);
  credentials_clear (&second);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/credentials/no-authentication", test_no_authentication);
  g_test_add_func ("/credentials/user-and-password", test_user_and_password);
  g_test_add_func ("/credentials/malformed-credentials",
      test_malformed_credentials);
  g_test_add_func ("/credentials/malformed-key", test_malformed_key);
  g_test_add_func ("/credentials/random-key", test_random_key);
  return g_test_run ();
}
