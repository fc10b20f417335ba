/* One Digest credential judged as auth.c does, from an Authorization header
 * parsed by gst_rtsp_message_parse_auth_credentials(). */
#include "auth/digest-credential.h"
#include "auth/digest.h"

#define NOW_S G_GINT64_CONSTANT (1700000000)
#define ADDRESS "192.0.2.1"
#define REALM "abr-rtsp-server"
#define REQUEST_URI "rtsp://127.0.0.1:8554/live"

static guint8 key[DIGEST_KEY_BYTES];
static const DigestSecret secret = {
  .user = "viewer",
  .password = "s3cret:pw",
  .realm = REALM,
  .key = key,
};

/* The credentials of a DESCRIBE carrying these Authorization headers
 * (NULL-terminated). */
static GstRTSPAuthCredential **
credentials_of_headers (const gchar * const *authorizations)
{
  GstRTSPMessage *request = NULL;
  GstRTSPAuthCredential **credentials;

  g_assert_cmpint (gst_rtsp_message_new_request (&request, GST_RTSP_DESCRIBE,
          REQUEST_URI), ==, GST_RTSP_OK);
  for (const gchar * const *value = authorizations; *value != NULL; value++)
    g_assert_cmpint (gst_rtsp_message_add_header (request,
            GST_RTSP_HDR_AUTHORIZATION, *value), ==, GST_RTSP_OK);
  credentials = gst_rtsp_message_parse_auth_credentials (request,
      GST_RTSP_HDR_AUTHORIZATION);
  gst_rtsp_message_free (request);
  g_assert_nonnull (credentials);
  return credentials;
}

static GstRTSPAuthCredential **
credentials_of (const gchar * authorization)
{
  const gchar *authorizations[] = { authorization, NULL };

  return credentials_of_headers (authorizations);
}

/* A header as a client would write it, answering a challenge made at
 * `challenged_s` with these user, password, method and uri. */
static gchar *
answer (const gchar * user, const gchar * password, const gchar * method,
    const gchar * uri, gint64 challenged_s)
{
  gchar *nonce = digest_nonce_new (key, challenged_s, ADDRESS);
  gchar *response = digest_response (user, REALM, password, method, uri,
      nonce);
  gchar *header = g_strdup_printf ("Digest username=\"%s\", realm=\"%s\", "
      "nonce=\"%s\", uri=\"%s\", response=\"%s\"", user, REALM, nonce, uri,
      response);

  g_free (response);
  g_free (nonce);
  return header;
}

static DigestCredentialVerdict
judge_header (const gchar * authorization, const gchar * method)
{
  GstRTSPAuthCredential **credentials = credentials_of (authorization);
  DigestCredentialVerdict verdict;

  g_assert_nonnull (credentials[0]);
  verdict = digest_credential_judge (credentials[0], method, REQUEST_URI,
      &secret, NOW_S, ADDRESS);
  gst_rtsp_auth_credentials_free (credentials);
  return verdict;
}

static DigestCredentialVerdict
judge_answer (const gchar * user, const gchar * password,
    const gchar * answered_method, const gchar * uri, gint64 challenged_s)
{
  gchar *header = answer (user, password, answered_method, uri,
      challenged_s);
  DigestCredentialVerdict verdict = judge_header (header, "DESCRIBE");

  g_free (header);
  return verdict;
}

static void
test_param (void)
{
  GstRTSPAuthCredential **credentials =
      credentials_of ("Digest USERNAME=\"a b\", Nonce=\"n\", uri=\"/x\"");

  g_assert_cmpint (credentials[0]->scheme, ==, GST_RTSP_AUTH_DIGEST);
  g_assert_cmpstr (digest_credential_param (credentials[0], "username"), ==,
      "a b");
  g_assert_cmpstr (digest_credential_param (credentials[0], "nonce"), ==, "n");
  g_assert_cmpstr (digest_credential_param (credentials[0], "URI"), ==, "/x");
  g_assert_null (digest_credential_param (credentials[0], "response"));
  g_assert_null (digest_credential_param (credentials[0], "user"));
  gst_rtsp_auth_credentials_free (credentials);
}

static void
test_right_answer (void)
{
  g_assert_cmpint (judge_answer ("viewer", "s3cret:pw", "DESCRIBE",
          REQUEST_URI, NOW_S), ==, DIGEST_CREDENTIAL_VALID);
  /* The uri as the client wrote it: another host, or a path. */
  g_assert_cmpint (judge_answer ("viewer", "s3cret:pw", "DESCRIBE",
          "rtsp://localhost/live", NOW_S), ==, DIGEST_CREDENTIAL_VALID);
  g_assert_cmpint (judge_answer ("viewer", "s3cret:pw", "DESCRIBE", "/live",
          NOW_S), ==, DIGEST_CREDENTIAL_VALID);
}

/* The response in upper case is the same response. */
static void
test_upper_case_response (void)
{
  gchar *header = answer ("viewer", "s3cret:pw", "DESCRIBE", REQUEST_URI,
      NOW_S);
  gchar *response = g_strrstr (header, "response=\"") + 10;

  for (gchar * c = response; *c != '"'; c++)
    *c = g_ascii_toupper (*c);
  g_assert_cmpint (judge_header (header, "DESCRIBE"), ==,
      DIGEST_CREDENTIAL_VALID);
  g_free (header);
}

/* Right, but on a nonce that expired: the client may retry at once. */
static void
test_stale_nonce (void)
{
  g_assert_cmpint (judge_answer ("viewer", "s3cret:pw", "DESCRIBE",
          REQUEST_URI, NOW_S - DIGEST_NONCE_LIFETIME_S - 1), ==,
      DIGEST_CREDENTIAL_STALE);
  /* Wrong, on an expired nonce: wrong. */
  g_assert_cmpint (judge_answer ("viewer", "guess", "DESCRIBE", REQUEST_URI,
          NOW_S - DIGEST_NONCE_LIFETIME_S - 1), ==, DIGEST_CREDENTIAL_WRONG);
}

static void
test_wrong_answers (void)
{
  g_assert_cmpint (judge_answer ("viewer", "guess", "DESCRIBE", REQUEST_URI,
          NOW_S), ==, DIGEST_CREDENTIAL_WRONG);
  g_assert_cmpint (judge_answer ("other", "s3cret:pw", "DESCRIBE",
          REQUEST_URI, NOW_S), ==, DIGEST_CREDENTIAL_WRONG);
  /* Answered for another method, or another target. */
  g_assert_cmpint (judge_answer ("viewer", "s3cret:pw", "SETUP", REQUEST_URI,
          NOW_S), ==, DIGEST_CREDENTIAL_WRONG);
  g_assert_cmpint (judge_answer ("viewer", "s3cret:pw", "DESCRIBE",
          "rtsp://127.0.0.1:8554/other", NOW_S), ==, DIGEST_CREDENTIAL_WRONG);
}

/* A nonce we did not make for this client. */
static void
test_foreign_nonce (void)
{
  gchar *nonce = digest_nonce_new (key, NOW_S, "192.0.2.2");
  gchar *response = digest_response ("viewer", REALM, "s3cret:pw",
      "DESCRIBE", REQUEST_URI, nonce);
  gchar *header = g_strdup_printf ("Digest username=\"viewer\", "
      "nonce=\"%s\", uri=\"" REQUEST_URI "\", response=\"%s\"", nonce,
      response);

  g_assert_cmpint (judge_header (header, "DESCRIBE"), ==,
      DIGEST_CREDENTIAL_WRONG);
  g_free (header);
  g_free (response);
  g_free (nonce);
}

/* Without any one of username, nonce, uri and response: wrong. */
static void
test_missing_params (void)
{
  const gchar *names[] = { "username", "nonce", "uri", "response" };
  gchar *full = answer ("viewer", "s3cret:pw", "DESCRIBE", REQUEST_URI,
      NOW_S);

  g_assert_cmpint (judge_header (full, "DESCRIBE"), ==,
      DIGEST_CREDENTIAL_VALID);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++) {
    /* The parameter renamed: "username=" becomes "xsername=". */
    gchar *header = g_strdup (full);
    gchar *assignment = g_strdup_printf ("%s=", names[i]);
    gchar *param = g_strstr_len (header, -1, assignment);

    g_assert_nonnull (param);
    param[0] = 'x';
    g_assert_cmpint (judge_header (header, "DESCRIBE"), ==,
        DIGEST_CREDENTIAL_WRONG);
    g_free (assignment);
    g_free (header);
  }
  g_free (full);
}

static void
test_other_schemes (void)
{
  /* viewer:s3cret:pw */
  g_assert_cmpint (judge_header ("Basic dmlld2VyOnMzY3JldDpwdw==",
          "DESCRIBE"), ==, DIGEST_CREDENTIAL_WRONG);
  g_assert_cmpint (judge_header ("Digest", "DESCRIBE"), ==,
      DIGEST_CREDENTIAL_WRONG);
}

/* A request may carry several Authorization headers: each credential is
 * judged on its own. */
static void
test_several_credentials (void)
{
  gchar *digest = answer ("viewer", "s3cret:pw", "DESCRIBE", REQUEST_URI,
      NOW_S);
  const gchar *headers[] = { "Basic dmlld2VyOnMzY3JldDpwdw==", digest, NULL };
  GstRTSPAuthCredential **credentials = credentials_of_headers (headers);

  g_assert_nonnull (credentials[0]);
  g_assert_nonnull (credentials[1]);
  g_assert_null (credentials[2]);
  g_assert_cmpint (digest_credential_judge (credentials[0], "DESCRIBE",
          REQUEST_URI, &secret, NOW_S, ADDRESS), ==, DIGEST_CREDENTIAL_WRONG);
  g_assert_cmpint (digest_credential_judge (credentials[1], "DESCRIBE",
          REQUEST_URI, &secret, NOW_S, ADDRESS), ==, DIGEST_CREDENTIAL_VALID);
  gst_rtsp_auth_credentials_free (credentials);
  g_free (digest);
}

/* GStreamer's parser writes through NULL on a parameter whose '=' is
 * followed by the whitespace that ends it (found by fuzz-digest: the helper
 * died of SIGSEGV on "Authorization: Digest a= , b=1" from any client).
 * Such a header is not parsed: it is one credential, and a wrong one. */
static void
test_unparsable_header (void)
{
  const gchar *unparsable[] = {
    "Digest a= , b=1",
    "Digest = ",
    "Digest username=\"viewer\", nonce=\t\"x\"",
    "Basic a= ",
  };

  for (guint i = 0; i < G_N_ELEMENTS (unparsable); i++) {
    GstRTSPMessage *request = NULL;
    GstRTSPAuthCredential **credentials;

    g_assert_cmpint (gst_rtsp_message_new_request (&request,
            GST_RTSP_DESCRIBE, REQUEST_URI), ==, GST_RTSP_OK);
    /* A right answer beside it does not make it parsed. */
    gst_rtsp_message_add_header (request, GST_RTSP_HDR_AUTHORIZATION,
        "Basic dmlld2VyOnMzY3JldDpwdw==");
    gst_rtsp_message_add_header (request, GST_RTSP_HDR_AUTHORIZATION,
        unparsable[i]);
    credentials = digest_credentials_parse (request);
    g_assert_nonnull (credentials);
    g_assert_nonnull (credentials[0]);
    g_assert_null (credentials[1]);
    g_assert_cmpint (credentials[0]->scheme, ==, GST_RTSP_AUTH_NONE);
    g_assert_null (credentials[0]->params);
    g_assert_cmpint (digest_credential_judge (credentials[0], "DESCRIBE",
            REQUEST_URI, &secret, NOW_S, ADDRESS), ==, DIGEST_CREDENTIAL_WRONG);
    gst_rtsp_auth_credentials_free (credentials);
    gst_rtsp_message_free (request);
  }
}

/* Headers without it are parsed as GStreamer parses them; none, none. */
static void
test_parsable_headers (void)
{
  gchar *digest = answer ("viewer", "s3cret:pw", "DESCRIBE", REQUEST_URI,
      NOW_S);
  GstRTSPMessage *request = NULL;
  GstRTSPAuthCredential **credentials;

  g_assert_cmpint (gst_rtsp_message_new_request (&request, GST_RTSP_DESCRIBE,
          REQUEST_URI), ==, GST_RTSP_OK);
  g_assert_null (digest_credentials_parse (request));
  gst_rtsp_message_add_header (request, GST_RTSP_HDR_AUTHORIZATION, digest);
  credentials = digest_credentials_parse (request);
  g_assert_nonnull (credentials[0]);
  g_assert_null (credentials[1]);
  g_assert_cmpint (digest_credential_judge (credentials[0], "DESCRIBE",
          REQUEST_URI, &secret, NOW_S, ADDRESS), ==, DIGEST_CREDENTIAL_VALID);
  gst_rtsp_auth_credentials_free (credentials);
  gst_rtsp_message_free (request);
  g_free (digest);
}

int
main (int argc, char **argv)
{
  for (guint i = 0; i < DIGEST_KEY_BYTES; i++)
    key[i] = 0xa0 ^ i;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/digest-credential/param", test_param);
  g_test_add_func ("/digest-credential/right-answer", test_right_answer);
  g_test_add_func ("/digest-credential/upper-case-response",
      test_upper_case_response);
  g_test_add_func ("/digest-credential/stale-nonce", test_stale_nonce);
  g_test_add_func ("/digest-credential/wrong-answers", test_wrong_answers);
  g_test_add_func ("/digest-credential/foreign-nonce", test_foreign_nonce);
  g_test_add_func ("/digest-credential/missing-params", test_missing_params);
  g_test_add_func ("/digest-credential/other-schemes", test_other_schemes);
  g_test_add_func ("/digest-credential/several-credentials",
      test_several_credentials);
  g_test_add_func ("/digest-credential/unparsable-header",
      test_unparsable_header);
  g_test_add_func ("/digest-credential/parsable-headers",
      test_parsable_headers);
  return g_test_run ();
}
