/* One Digest credential of a request, as
 * gst_rtsp_message_parse_auth_credentials() parsed the Authorization
 * header, judged against the helper's user, password and nonce key
 * (digest.h: RFC 2069 form, no qop). Apart from GstRTSPAuth, with the clock
 * and the client's address given, so that what a client sends is
 * unit-tested and fuzzed without a server. */
#ifndef RTSP_HELPER_DIGEST_CREDENTIAL_H
#define RTSP_HELPER_DIGEST_CREDENTIAL_H

#include <gst/rtsp/rtsp.h>

typedef enum
{
  DIGEST_CREDENTIAL_VALID,
  DIGEST_CREDENTIAL_STALE,      /* right, on an expired nonce of ours */
  DIGEST_CREDENTIAL_WRONG,      /* a guess, or malformed */
} DigestCredentialVerdict;

typedef struct
{
  const gchar *user;
  const gchar *password;
  const gchar *realm;
  const guint8 *key;            /* DIGEST_KEY_BYTES: signs the nonces */
} DigestSecret;

/* The credentials of a request's Authorization headers, as
 * gst_rtsp_message_parse_auth_credentials() parses them (free with
 * gst_rtsp_auth_credentials_free()), or NULL when it has none. That parser
 * (GStreamer 1.22, unchanged since) copies a length of -1 from a parameter
 * whose '=' is followed by the whitespace that ends it ("Digest a= , b=1"):
 * a write through NULL, which crashed the helper for any client, before it
 * had authenticated. A header with an '=' followed by whitespace is not
 * handed to it: it stands for one credential of no scheme, which is wrong.
 * No answer the helper accepts holds one (but for a user name with "= "). */
GstRTSPAuthCredential **digest_credentials_parse (GstRTSPMessage * request);

/* The value of the credential's parameter of that name (case-insensitive,
 * RFC 2617), or NULL. */
const gchar *digest_credential_param (const GstRTSPAuthCredential *
    credential, const gchar * name);

/* `method` and `request_uri` are the request's; `now_s` is wall-clock
 * seconds; `address` the client's IP address as digest_nonce_new() was
 * given it. */
DigestCredentialVerdict digest_credential_judge (const GstRTSPAuthCredential
    * credential, const gchar * method, const gchar * request_uri,
    const DigestSecret * secret, gint64 now_s, const gchar * address);

#endif /* RTSP_HELPER_DIGEST_CREDENTIAL_H */
