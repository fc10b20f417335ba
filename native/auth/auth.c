#include "auth/auth.h"

#include "auth/auth-throttle.h"
#include "auth/digest-credential.h"
#include "auth/digest.h"
#include "auth/redirect-token.h"
#include "viewer/rtsp-viewer.h"

/* Media factory roles: a viewer who authenticated may start the media; an
 * anonymous one may reach the mount only to be challenged (without access
 * the server answers 404, with no challenge to answer). */
#define VIEWER_ROLE "viewer"
#define ANONYMOUS_ROLE "anonymous"

/* GstRTSPAuth with our own Digest nonces (digest.h) in place of its
 * per-connection ones. Which requests need credentials, and the 401, stay
 * gst-rtsp-server's: DESCRIBE, SETUP and ANNOUNCE. */
#define HELPER_TYPE_AUTH helper_auth_get_type ()
G_DECLARE_FINAL_TYPE (HelperAuth, helper_auth, HELPER, AUTH, GstRTSPAuth);

struct _HelperAuth
{
  GstRTSPAuth parent;
  const Credentials *credentials;       /* outlive the auth */
  gchar *basic;                 /* base64 of user:password, with Basic */
  GstRTSPToken *viewer;
  GstRTSPToken *anonymous;
  AuthThrottle *throttle;
};

/* What a request's credentials are worth. */
typedef enum
{
  CREDENTIALS_MISSING,          /* a client's first request has none */
  CREDENTIALS_VALID,
  CREDENTIALS_STALE,            /* right ones on an expired nonce */
  CREDENTIALS_WRONG,            /* a guess */
  CREDENTIALS_THROTTLED,        /* not checked: its address guessed too often */
} CredentialsVerdict;

G_DEFINE_TYPE (HelperAuth, helper_auth, GST_TYPE_RTSP_AUTH);

static gint64
now_s (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* The client's IP address as the front door writes it: IPv4-mapped IPv6
 * as plain IPv4. */
static const gchar *
client_address (GstRTSPContext * ctx)
{
  const gchar *ip = ctx->conn == NULL ? NULL : gst_rtsp_connection_get_ip
      (ctx->conn);

  if (ip == NULL)
    return "";
  if (g_ascii_strncasecmp (ip, "::ffff:", 7) == 0 && strchr (ip, '.') != NULL)
    return ip + 7;
  return ip;
}

/* The viewer's own credentials, or those the front door's redirect gave
 * it (redirect-token.h): FALSE for a token that cannot be right. */
static gboolean
secret_for (HelperAuth * self, GstRTSPContext * ctx,
    const GstRTSPAuthCredential * credential, DigestSecret * secret,
    gchar ** token_password)
{
  const Credentials *credentials = self->credentials;
  const gchar *user = digest_credential_param (credential, "username");

  secret->user = credentials->user;
  secret->password = credentials->password;
  secret->realm = AUTH_REALM;
  secret->key = credentials->key;
  switch (redirect_token_password (credentials->key, user,
          client_address (ctx), ctx->uri == NULL ? NULL : ctx->uri->abspath,
          now_s (), ctx->session != NULL, token_password)) {
    case REDIRECT_TOKEN_NONE:
      return TRUE;
    case REDIRECT_TOKEN_USABLE:
      secret->user = user;
      secret->password = *token_password;
      return TRUE;
    case REDIRECT_TOKEN_EXPIRED:
    case REDIRECT_TOKEN_MALFORMED:
    default:
      return FALSE;
  }
}

static CredentialsVerdict
judge_digest (HelperAuth * self, GstRTSPContext * ctx,
    GstRTSPAuthCredential * credential)
{
  DigestSecret secret;
  gchar *token_password = NULL;
  const gchar *request_uri = NULL;
  GstRTSPMethod method;
  CredentialsVerdict verdict;

  if (gst_rtsp_message_parse_request (ctx->request, &method, &request_uri,
          NULL) != GST_RTSP_OK
      || !secret_for (self, ctx, credential, &secret, &token_password)) {
    g_free (token_password);
    return CREDENTIALS_WRONG;
  }
  switch (digest_credential_judge (credential,
          gst_rtsp_method_as_text (method), request_uri, &secret, now_s (),
          client_address (ctx))) {
    case DIGEST_CREDENTIAL_VALID:
      verdict = CREDENTIALS_VALID;
      break;
    case DIGEST_CREDENTIAL_STALE:
      verdict = CREDENTIALS_STALE;
      break;
    case DIGEST_CREDENTIAL_WRONG:
    default:
      verdict = CREDENTIALS_WRONG;
      break;
  }
  g_free (token_password);
  return verdict;
}

static CredentialsVerdict
judge_one (HelperAuth * self, GstRTSPContext * ctx,
    GstRTSPAuthCredential * credential)
{
  switch (credential->scheme) {
    case GST_RTSP_AUTH_DIGEST:
      return judge_digest (self, ctx, credential);
    case GST_RTSP_AUTH_BASIC:
      return self->basic != NULL && credential->authorization != NULL
          && digest_equal (credential->authorization, self->basic) ?
          CREDENTIALS_VALID : CREDENTIALS_WRONG;
    default:
      return CREDENTIALS_WRONG;
  }
}

/* Each credential the request carries is a guess of its own, checked
 * while its address has failures left; with `count`, the wrong ones are
 * counted against it. */
static CredentialsVerdict
judge_credentials (HelperAuth * self, GstRTSPContext * ctx, gboolean count)
{
  const gchar *address = client_address (ctx);
  const gint64 now_us = g_get_monotonic_time ();
  GstRTSPAuthCredential **credentials;
  CredentialsVerdict verdict = CREDENTIALS_MISSING;

  credentials = digest_credentials_parse (ctx->request);
  for (GstRTSPAuthCredential ** credential = credentials;
      credential != NULL && *credential != NULL
      && verdict != CREDENTIALS_VALID; credential++) {
    CredentialsVerdict one;

    if (auth_throttle_locked (self->throttle, address, now_us)) {
      verdict = CREDENTIALS_THROTTLED;
      break;
    }
    one = judge_one (self, ctx, *credential);
    if (one == CREDENTIALS_WRONG && count)
      auth_throttle_failed (self->throttle, address, now_us);
    if (one == CREDENTIALS_VALID || one == CREDENTIALS_WRONG
        || verdict == CREDENTIALS_MISSING)
      verdict = one;
  }
  if (credentials != NULL)
    gst_rtsp_auth_credentials_free (credentials);
  return verdict;
}

static gboolean
helper_auth_authenticate (GstRTSPAuth * auth, GstRTSPContext * ctx)
{
  HelperAuth *self = HELPER_AUTH (auth);
  CredentialsVerdict verdict = judge_credentials (self, ctx, TRUE);
  RtspViewer *viewer = ctx->client != NULL && RTSP_IS_VIEWER (ctx->client) ?
      RTSP_VIEWER (ctx->client) : NULL;

  /* Borrowed, as GstRTSPAuth does: the tokens live as long as the auth. */
  ctx->token = verdict == CREDENTIALS_VALID ? self->viewer : self->anonymous;
  /* The reason of the 401 that follows, for its `rejected` record. */
  if (verdict == CREDENTIALS_WRONG)
    rtsp_viewer_note_refusal (viewer, "auth_failed");
  else if (verdict == CREDENTIALS_THROTTLED)
    rtsp_viewer_note_refusal (viewer, "auth_throttled");
  return TRUE;
}

static void
helper_auth_generate_authenticate_header (GstRTSPAuth * auth,
    GstRTSPContext * ctx)
{
  HelperAuth *self = HELPER_AUTH (auth);
  gboolean stale = judge_credentials (self, ctx, FALSE) == CREDENTIALS_STALE;
  gchar *nonce = digest_nonce_new (self->credentials->key, now_s (),
      client_address (ctx));
  gchar *digest;

  /* RFC 2617 3.2.1: stale=TRUE lets the client retry with the new nonce
   * without asking its user again. */
  digest = g_strdup_printf ("Digest realm=\"%s\", nonce=\"%s\"%s", AUTH_REALM,
      nonce, stale ? ", stale=TRUE" : "");
  if (self->basic != NULL)
    gst_rtsp_message_add_header (ctx->response, GST_RTSP_HDR_WWW_AUTHENTICATE,
        "Basic realm=\"" AUTH_REALM "\"");
  gst_rtsp_message_add_header (ctx->response, GST_RTSP_HDR_WWW_AUTHENTICATE,
      digest);
  g_free (digest);
  g_free (nonce);
}

static void
helper_auth_finalize (GObject * object)
{
  HelperAuth *self = HELPER_AUTH (object);

  g_free (self->basic);
  auth_throttle_free (self->throttle);
  gst_rtsp_token_unref (self->viewer);
  gst_rtsp_token_unref (self->anonymous);
  G_OBJECT_CLASS (helper_auth_parent_class)->finalize (object);
}

static void
helper_auth_class_init (HelperAuthClass * klass)
{
  GstRTSPAuthClass *auth_class = GST_RTSP_AUTH_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = helper_auth_finalize;
  auth_class->authenticate = helper_auth_authenticate;
  auth_class->generate_authenticate_header =
      helper_auth_generate_authenticate_header;
}

static GstRTSPToken *
token_for_role (const gchar * role)
{
  return gst_rtsp_token_new (GST_RTSP_TOKEN_MEDIA_FACTORY_ROLE, G_TYPE_STRING,
      role, NULL);
}

static void
helper_auth_init (HelperAuth * self)
{
  self->viewer = token_for_role (VIEWER_ROLE);
  self->anonymous = token_for_role (ANONYMOUS_ROLE);
  self->throttle = auth_throttle_new ();
}

void
helper_auth_protect (GstRTSPMediaFactory * factory)
{
  gst_rtsp_media_factory_add_role (factory, VIEWER_ROLE,
      GST_RTSP_PERM_MEDIA_FACTORY_ACCESS, G_TYPE_BOOLEAN, TRUE,
      GST_RTSP_PERM_MEDIA_FACTORY_CONSTRUCT, G_TYPE_BOOLEAN, TRUE, NULL);
  gst_rtsp_media_factory_add_role (factory, ANONYMOUS_ROLE,
      GST_RTSP_PERM_MEDIA_FACTORY_ACCESS, G_TYPE_BOOLEAN, TRUE,
      GST_RTSP_PERM_MEDIA_FACTORY_CONSTRUCT, G_TYPE_BOOLEAN, FALSE, NULL);
}

GstRTSPAuth *
helper_auth_new (const Credentials * credentials)
{
  HelperAuth *auth;

  if (credentials->user == NULL)
    return NULL;
  auth = g_object_new (HELPER_TYPE_AUTH, NULL);
  auth->credentials = credentials;
  if (credentials->basic)
    auth->basic = gst_rtsp_auth_make_basic (credentials->user,
        credentials->password);
  return GST_RTSP_AUTH (auth);
}
