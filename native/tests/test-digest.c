/* Digest authentication's pure parts: stateless nonces, the response, the
 * uri check, the comparison. Known answers come from Python's hashlib and
 * hmac, and from RFC 2069's example. */
#include "auth/digest.h"

#include <string.h>

#define NOW_S G_GINT64_CONSTANT (1700000000)
#define ADDRESS "192.0.2.1"
/* At NOW_S for ADDRESS under the key 00 01 .. 1f: the expiry 00006553f13c
 * (NOW_S + 60), then HMAC-SHA256 of "00006553f13c:192.0.2.1" in 32 digits. */
#define NONCE_AT_NOW "00006553f13ca6045d94d9f5212860517ed48e4995e3"

static guint8 key[DIGEST_KEY_BYTES];

static void
test_nonce_known_answer (void)
{
  gchar *nonce = digest_nonce_new (key, NOW_S, ADDRESS);

  /* The expiry (now + 60 s, 12 hex digits), then the MAC. */
  g_assert_cmpstr (nonce, ==, NONCE_AT_NOW);
  g_free (nonce);
}

static void
test_nonce_lifetime (void)
{
  gchar *nonce = digest_nonce_new (key, NOW_S, ADDRESS);

  g_assert_cmpint (digest_nonce_check (key, nonce, NOW_S, ADDRESS), ==,
      NONCE_VALID);
  g_assert_cmpint (digest_nonce_check (key, nonce,
          NOW_S + DIGEST_NONCE_LIFETIME_S, ADDRESS), ==, NONCE_VALID);
  g_assert_cmpint (digest_nonce_check (key, nonce,
          NOW_S + DIGEST_NONCE_LIFETIME_S + 1, ADDRESS), ==, NONCE_STALE);
  g_assert_cmpint (digest_nonce_check (key, nonce, G_MAXINT64, ADDRESS), ==,
      NONCE_STALE);
  g_free (nonce);
}

/* A nonce is the client's it was made for, under our key, as made. */
static void
test_nonce_not_ours (void)
{
  gchar *nonce = digest_nonce_new (key, NOW_S, ADDRESS);
  guint8 other_key[DIGEST_KEY_BYTES];
  gchar *tampered;

  g_assert_cmpint (digest_nonce_check (key, nonce, NOW_S, "192.0.2.2"), ==,
      NONCE_INVALID);
  g_assert_cmpint (digest_nonce_check (key, nonce, NOW_S, ""), ==,
      NONCE_INVALID);
  memcpy (other_key, key, sizeof (key));
  other_key[31] ^= 1;
  g_assert_cmpint (digest_nonce_check (other_key, nonce, NOW_S, ADDRESS), ==,
      NONCE_INVALID);

  /* A later expiry with the same MAC; a changed MAC. */
  tampered = g_strdup (nonce);
  tampered[11] = tampered[11] == 'f' ? 'e' : 'f';
  g_assert_cmpint (digest_nonce_check (key, tampered, NOW_S, ADDRESS), ==,
      NONCE_INVALID);
  g_free (tampered);
  tampered = g_strdup (nonce);
  tampered[43] = tampered[43] == '0' ? '1' : '0';
  g_assert_cmpint (digest_nonce_check (key, tampered, NOW_S, ADDRESS), ==,
      NONCE_INVALID);
  g_free (tampered);
  g_free (nonce);
}

static void
test_nonce_malformed (void)
{
  const gchar *malformed[] = {
    "",
    "0",
    NONCE_AT_NOW "0",           /* one digit too many */
    "00006553f13ca6045d94d9f5212860517ed48e4995e",      /* too few */
    "00006553f13ca6045d94d9f5212860517ed48e4995eg",     /* not hex */
    "00006553f13c a6045d94d9f5212860517ed48e4995e3",
    "0x006553f13ca6045d94d9f5212860517ed48e4995e3",
    "-0006553f13ca6045d94d9f5212860517ed48e4995e3",
  };

  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    g_assert_cmpint (digest_nonce_check (key, malformed[i], NOW_S, ADDRESS),
        ==, NONCE_INVALID);
}

/* Clients may write hex digits in upper case. */
static void
test_nonce_upper_case (void)
{
  gchar *upper = g_ascii_strup (NONCE_AT_NOW, -1);

  g_assert_cmpint (digest_nonce_check (key, upper, NOW_S, ADDRESS), ==,
      NONCE_VALID);
  g_free (upper);
}

/* RFC 2069 2.4's example. */
static void
test_response_known_answer (void)
{
  gchar *response = digest_response ("Mufasa", "testrealm@host.com",
      "CircleOfLife", "GET", "/dir/index.html",
      "dcd98b7102dd2f0e8b11d0f600bfb0c093");

  g_assert_cmpstr (response, ==, "1949323746fe6a43ef61f9606e7febea");
  g_free (response);
}

/* Every part counts. */
static void
test_response_parts (void)
{
  gchar *base = digest_response ("u", "r", "p", "DESCRIBE", "rtsp://h/m",
      "n");
  gchar *variants[] = {
    digest_response ("U", "r", "p", "DESCRIBE", "rtsp://h/m", "n"),
    digest_response ("u", "R", "p", "DESCRIBE", "rtsp://h/m", "n"),
    digest_response ("u", "r", "P", "DESCRIBE", "rtsp://h/m", "n"),
    digest_response ("u", "r", "p", "SETUP", "rtsp://h/m", "n"),
    digest_response ("u", "r", "p", "DESCRIBE", "rtsp://h/n", "n"),
    digest_response ("u", "r", "p", "DESCRIBE", "rtsp://h/m", "N"),
  };

  g_assert_cmpuint (strlen (base), ==, 32);
  for (guint i = 0; i < G_N_ELEMENTS (variants); i++) {
    g_assert_cmpstr (variants[i], !=, base);
    g_free (variants[i]);
  }
  g_free (base);
}

static void
test_uri_names (void)
{
  struct
  {
    const gchar *uri, *request_uri;
    gboolean names;
  } cases[] = {
    {"rtsp://h:8554/live", "rtsp://h:8554/live", TRUE},
    /* However the host is written. */
    {"rtsp://127.0.0.1:8554/live", "rtsp://localhost/live", TRUE},
    {"/live", "rtsp://h:8554/live", TRUE},
    {"rtsp://h:8554/live", "/live", TRUE},
    {"rtsp://h/live?x=1", "rtsp://other/live?x=1", TRUE},
    {"rtsp://a", "rtsp://b", TRUE},
    {"rtspu://h/live", "rtsp://h/live", TRUE},
    /* Another path or query. */
    {"rtsp://h/live", "rtsp://h/live2", FALSE},
    {"rtsp://h/live", "rtsp://h/Live", FALSE},
    {"rtsp://h/live?x=1", "rtsp://h/live?x=2", FALSE},
    {"rtsp://h/live", "rtsp://h/live/", FALSE},
    {"rtsp://h", "rtsp://h/", FALSE},
    /* Neither absolute nor a path: only the same text. */
    {"live", "rtsp://h/live", FALSE},
    {"live", "live", TRUE},
    {"://h/live", "rtsp://h/live", FALSE},
    {"rt sp://h/live", "rtsp://h/live", FALSE},
    {"", "rtsp://h/", FALSE},
    {"", "", TRUE},
    /* A fragment is not part of a request's target. */
    {"rtsp://h/live#x", "rtsp://other/live#x", FALSE},
    {"/live#x", "rtsp://h/live#x", FALSE},
    {"rtsp://h/live#x", "rtsp://h/live#x", TRUE},
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    if (digest_uri_names (cases[i].uri, cases[i].request_uri) != cases[i].names)
      g_error ("digest_uri_names (\"%s\", \"%s\") is not %s", cases[i].uri,
          cases[i].request_uri, cases[i].names ? "TRUE" : "FALSE");
  }
}

static void
test_equal (void)
{
  g_assert_true (digest_equal ("", ""));
  g_assert_true (digest_equal ("abc", "abc"));
  g_assert_false (digest_equal ("abc", "abd"));
  g_assert_false (digest_equal ("abc", "ab"));
  g_assert_false (digest_equal ("ab", "abc"));
  g_assert_false (digest_equal ("", "a"));
  g_assert_false (digest_equal ("a", ""));
  g_assert_false (digest_equal ("abc", "ABC"));
}

int
main (int argc, char **argv)
{
  for (guint i = 0; i < DIGEST_KEY_BYTES; i++)
    key[i] = i;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/digest/nonce-known-answer", test_nonce_known_answer);
  g_test_add_func ("/digest/nonce-lifetime", test_nonce_lifetime);
  g_test_add_func ("/digest/nonce-not-ours", test_nonce_not_ours);
  g_test_add_func ("/digest/nonce-malformed", test_nonce_malformed);
  g_test_add_func ("/digest/nonce-upper-case", test_nonce_upper_case);
  g_test_add_func ("/digest/response-known-answer", test_response_known_answer);
  g_test_add_func ("/digest/response-parts", test_response_parts);
  g_test_add_func ("/digest/uri-names", test_uri_names);
  g_test_add_func ("/digest/equal", test_equal);
  return g_test_run ();
}
