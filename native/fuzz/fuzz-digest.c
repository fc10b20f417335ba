/* A client's RTSP Digest answer as the helper judges it (auth.c): the
 * Authorization headers of a request parsed by digest_credentials_parse()
 * (GStreamer's gst_rtsp_message_parse_auth_credentials() behind a guard),
 * each credential judged by
 * digest_credential_judge() (its parameters, digest_uri_names(),
 * digest_nonce_check(), the response), and those functions on the raw
 * text as well.
 *
 * Input: the request's URI, then one Authorization header per line.
 * Beyond crashes it checks that only a right answer is accepted: the
 * user's, for the request's target, on a nonce of ours. */
#include "fuzz/fuzz.h"

#include <string.h>

#include "auth/digest.h"
#include "auth/digest-credential.h"

/* The key, clock and client the seed corpus's nonces were made for: key
 * bytes 00 01 .. 1f, so that the fuzzer starts from answers it accepts. */
#define NOW_S G_GINT64_CONSTANT (1700000000)
#define ADDRESS "192.0.2.1"

static guint8 key[DIGEST_KEY_BYTES];
static const DigestSecret secret = {
  .user = "viewer",
  .password = "s3cret",
  .realm = "abr-rtsp-server",
  .key = key,
};

int
LLVMFuzzerInitialize (int *argc G_GNUC_UNUSED, char ***argv G_GNUC_UNUSED)
{
  for (guint i = 0; i < DIGEST_KEY_BYTES; i++)
    key[i] = i;
  return 0;
}

static void
judge (const GstRTSPAuthCredential * credential, const gchar * request_uri)
{
  DigestCredentialVerdict verdict = digest_credential_judge (credential,
      "DESCRIBE", request_uri, &secret, NOW_S, ADDRESS);
  const gchar *user, *uri, *nonce, *response;
  gchar *expected;

  FUZZ_CHECK (verdict == DIGEST_CREDENTIAL_VALID
      || verdict == DIGEST_CREDENTIAL_STALE
      || verdict == DIGEST_CREDENTIAL_WRONG);
  if (verdict == DIGEST_CREDENTIAL_WRONG)
    return;
  /* Accepted: then every part was right. */
  user = digest_credential_param (credential, "username");
  uri = digest_credential_param (credential, "uri");
  nonce = digest_credential_param (credential, "nonce");
  response = digest_credential_param (credential, "response");
  FUZZ_CHECK (credential->scheme == GST_RTSP_AUTH_DIGEST);
  FUZZ_CHECK (user != NULL && strcmp (user, secret.user) == 0);
  FUZZ_CHECK (uri != NULL && digest_uri_names (uri, request_uri));
  FUZZ_CHECK (nonce != NULL && digest_nonce_check (key, nonce, NOW_S,
          ADDRESS) == (verdict == DIGEST_CREDENTIAL_VALID ? NONCE_VALID :
          NONCE_STALE));
  FUZZ_CHECK (response != NULL);
  expected = digest_response (user, secret.realm, secret.password,
      "DESCRIBE", uri, nonce);
  FUZZ_CHECK (g_ascii_strcasecmp (expected, response) == 0);
  g_free (expected);
}

/* The pure functions on the text as it came. */
static void
check_text (const gchar * text, const gchar * request_uri)
{
  NonceCheck check = digest_nonce_check (key, text, NOW_S, ADDRESS);
  gboolean names = digest_uri_names (text, request_uri);

  FUZZ_CHECK (names == digest_uri_names (request_uri, text));
  FUZZ_CHECK (check == NONCE_INVALID || strlen (text) == 44);
  FUZZ_CHECK (digest_equal (text, text));
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  /* Text up to a NUL, as a header value is. */
  gchar *text = g_strndup ((const gchar *) data, size);
  gchar **lines = g_strsplit (text, "\n", 0);
  GstRTSPMessage *request = NULL;
  GstRTSPAuthCredential **credentials;

  if (lines[0] == NULL)
    goto done;
  if (gst_rtsp_message_new_request (&request, GST_RTSP_DESCRIBE,
          lines[0]) != GST_RTSP_OK)
    abort ();
  for (guint i = 1; lines[i] != NULL; i++) {
    check_text (lines[i], lines[0]);
    if (gst_rtsp_message_add_header (request, GST_RTSP_HDR_AUTHORIZATION,
            lines[i]) != GST_RTSP_OK)
      abort ();
  }
  credentials = digest_credentials_parse (request);
  for (GstRTSPAuthCredential ** credential = credentials;
      credential != NULL && *credential != NULL; credential++)
    judge (*credential, lines[0]);
  if (credentials != NULL)
    gst_rtsp_auth_credentials_free (credentials);
  gst_rtsp_message_free (request);
done:
  g_strfreev (lines);
  g_free (text);
  return 0;
}
