#include "auth/digest-credential.h"

#include "auth/digest.h"

/* Whether gst_rtsp_message_parse_auth_credentials() may be given it: no
 * '=' is followed by whitespace, quoted or not (a superset of what makes
 * it crash). */
static gboolean
parsable (const gchar * authorization)
{
  for (const gchar * c = authorization; *c != '\0'; c++)
    if (c[0] == '=' && g_ascii_isspace (c[1]))
      return FALSE;
  return TRUE;
}

GstRTSPAuthCredential **
digest_credentials_parse (GstRTSPMessage * request)
{
  GstRTSPAuthCredential **unparsable;
  gchar *authorization;

  for (gint i = 0; gst_rtsp_message_get_header (request,
          GST_RTSP_HDR_AUTHORIZATION, &authorization, i) == GST_RTSP_OK; i++)
    if (!parsable (authorization))
      goto unparsable;
  return gst_rtsp_message_parse_auth_credentials (request,
      GST_RTSP_HDR_AUTHORIZATION);

  /* ERRORS */
unparsable:
  {
    unparsable = g_new0 (GstRTSPAuthCredential *, 2);
    unparsable[0] = g_new0 (GstRTSPAuthCredential, 1);
    unparsable[0]->scheme = GST_RTSP_AUTH_NONE;
    return unparsable;
  }
}

const gchar *
digest_credential_param (const GstRTSPAuthCredential * credential,
    const gchar * name)
{
  for (GstRTSPAuthParam ** param = credential->params;
      param != NULL && *param != NULL; param++)
    if (g_ascii_strcasecmp ((*param)->name, name) == 0)
      return (*param)->value;
  return NULL;
}

DigestCredentialVerdict
digest_credential_judge (const GstRTSPAuthCredential * credential,
    const gchar * method, const gchar * request_uri,
    const DigestSecret * secret, gint64 now_s, const gchar * address)
{
  const gchar *user = digest_credential_param (credential, "username");
  const gchar *nonce = digest_credential_param (credential, "nonce");
  const gchar *uri = digest_credential_param (credential, "uri");
  const gchar *response = digest_credential_param (credential, "response");
  gchar *expected, *lower;
  gboolean right;
  NonceCheck check;

  if (credential->scheme != GST_RTSP_AUTH_DIGEST || user == NULL
      || nonce == NULL || uri == NULL || response == NULL || method == NULL
      || request_uri == NULL || !digest_uri_names (uri, request_uri))
    return DIGEST_CREDENTIAL_WRONG;
  check = digest_nonce_check (secret->key, nonce, now_s, address);
  if (check == NONCE_INVALID)
    return DIGEST_CREDENTIAL_WRONG;
  expected = digest_response (user, secret->realm, secret->password, method,
      uri, nonce);
  lower = g_ascii_strdown (response, -1);
  /* Both compared, whichever is wrong: the time taken tells nothing. */
  right = digest_equal (user, secret->user) & digest_equal (expected, lower);
  g_free (lower);
  g_free (expected);
  if (!right)
    return DIGEST_CREDENTIAL_WRONG;
  return check == NONCE_VALID ? DIGEST_CREDENTIAL_VALID :
      DIGEST_CREDENTIAL_STALE;
}
