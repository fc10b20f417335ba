/* The credentials the front door's redirect gives a viewer, as the helper
 * derives them. The known answer is src/front-door/redirect-token.ts's for
 * the same key, address, path and time (test/front-door/redirect-token.test.ts
 * holds the same value). */
#include "auth/redirect-token.h"

#include <string.h>

#include "auth/digest.h"

#define NOW_S G_GINT64_CONSTANT (1765112345)
#define USER "abr-redirect-1765112405"
#define PASSWORD "506c4c130a8ec87450161f5b0079b0b0"

static guint8 key[DIGEST_KEY_BYTES];

static RedirectTokenCheck
check (const gchar * user, const gchar * address, const gchar * path,
    gint64 now_s, gboolean in_session, gchar ** password)
{
  return redirect_token_password (key, user, address, path, now_s,
      in_session, password);
}

static void
test_known_answer (void)
{
  gchar *password = NULL;

  g_assert_cmpint (check (USER, "127.0.0.1", "/video2/stream=0", NOW_S,
          FALSE, &password), ==, REDIRECT_TOKEN_USABLE);
  g_assert_cmpstr (password, ==, PASSWORD);
  g_free (password);
}

static void
test_bound_to_address_and_video (void)
{
  gchar *password = NULL;

  g_assert_cmpint (check (USER, "127.0.0.2", "/video2", NOW_S, FALSE,
          &password), ==, REDIRECT_TOKEN_USABLE);
  g_assert_cmpstr (password, !=, PASSWORD);
  g_free (password);
  g_assert_cmpint (check (USER, "127.0.0.1", "/video3", NOW_S, FALSE,
          &password), ==, REDIRECT_TOKEN_USABLE);
  g_assert_cmpstr (password, !=, PASSWORD);
  g_free (password);
}

static void
test_expiry (void)
{
  gchar *password = NULL;

  g_assert_cmpint (check (USER, "127.0.0.1", "/video2", NOW_S + 61, FALSE,
          &password), ==, REDIRECT_TOKEN_EXPIRED);
  g_assert_null (password);
  /* Its session was made while it was valid. */
  g_assert_cmpint (check (USER, "127.0.0.1", "/video2", NOW_S + 61, TRUE,
          &password), ==, REDIRECT_TOKEN_USABLE);
  g_assert_cmpstr (password, ==, PASSWORD);
  g_free (password);
  /* A token claiming more than the front door ever gives. */
  g_assert_cmpint (check (USER, "127.0.0.1", "/video2", NOW_S - 10, FALSE,
          &password), ==, REDIRECT_TOKEN_MALFORMED);
}

static void
test_not_a_token (void)
{
  gchar *password = NULL;

  g_assert_cmpint (check ("viewer", "127.0.0.1", "/video2", NOW_S, FALSE,
          &password), ==, REDIRECT_TOKEN_NONE);
  g_assert_cmpint (check (NULL, "127.0.0.1", "/video2", NOW_S, FALSE,
          &password), ==, REDIRECT_TOKEN_NONE);
  for (guint i = 0; i < 4; i++) {
    const gchar *bad[] = { "abr-redirect-", "abr-redirect-12x4",
      "abr-redirect-1234567890123", "abr-redirect--5"
    };
    g_assert_cmpint (check (bad[i], "127.0.0.1", "/video2", NOW_S, FALSE,
            &password), ==, REDIRECT_TOKEN_MALFORMED);
    g_assert_null (password);
  }
}

int
main (int argc, char **argv)
{
  memset (key, 7, sizeof key);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/redirect-token/known-answer", test_known_answer);
  g_test_add_func ("/redirect-token/bound", test_bound_to_address_and_video);
  g_test_add_func ("/redirect-token/expiry", test_expiry);
  g_test_add_func ("/redirect-token/not-a-token", test_not_a_token);
  return g_test_run ();
}
