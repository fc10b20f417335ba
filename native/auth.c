#include "auth.h"

#include "mounts.h"

#include "digest.h"

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
  const HelperConfig *config;
  gchar *basic;                 /* base64 of user:password, with Basic */
  GstRTSPToken *viewer;
  GstRTSPToken *anonymous;
};

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

static const gchar *
param_of (GstRTSPAuthCredential * credential, const gchar * name)
{
  for (GstRTSPAuthParam ** param = credential->params;
      param != NULL && *param != NULL; param++)
    if (g_ascii_strcasecmp ((*param)->name, name) == 0)
      return (*param)->value;
  return NULL;
}

static gboolean
digest_is_valid (HelperAuth * self, GstRTSPContext * ctx,
    GstRTSPAuthCredential * credential, gboolean * stale)
{
  const HelperConfig *config = self->config;
  const gchar *user = param_of (credential, "username");
  const gchar *nonce = param_of (credential, "nonce");
  const gchar *uri = param_of (credential, "uri");
  const gchar *response = param_of (credential, "response");
  GstRTSPMethod method;
  gchar *expected, *lower;
  gboolean valid;
  NonceCheck check;

  if (user == NULL || nonce == NULL || uri == NULL || response == NULL
      || gst_rtsp_message_parse_request (ctx->request, &method, NULL,
          NULL) != GST_RTSP_OK)
    return FALSE;
  check = digest_nonce_check (config->auth_key, nonce, now_s (),
      client_address (ctx));
  if (check == NONCE_INVALID)
    return FALSE;
  expected = digest_response (user, AUTH_REALM, config->auth_password,
      gst_rtsp_method_as_text (method), uri, nonce);
  lower = g_ascii_strdown (response, -1);
  /* Both compared, whichever is wrong: the time taken tells nothing. */
  valid = digest_equal (user, config->auth_user)
      & digest_equal (expected, lower);
  g_free (lower);
  g_free (expected);
  *stale = valid && check == NONCE_STALE;
  return valid && check == NONCE_VALID;
}

/* TRUE for right credentials; `stale`: right ones on an expired nonce. */
static gboolean
check_credentials (HelperAuth * self, GstRTSPContext * ctx, gboolean * stale)
{
  GstRTSPAuthCredential **credentials;
  gboolean valid = FALSE;

  *stale = FALSE;
  credentials = gst_rtsp_message_parse_auth_credentials (ctx->request,
      GST_RTSP_HDR_AUTHORIZATION);
  for (GstRTSPAuthCredential ** credential = credentials;
      credential != NULL && *credential != NULL && !valid; credential++) {
    if ((*credential)->scheme == GST_RTSP_AUTH_DIGEST)
      valid = digest_is_valid (self, ctx, *credential, stale);
    else if ((*credential)->scheme == GST_RTSP_AUTH_BASIC)
      valid = self->basic != NULL && (*credential)->authorization != NULL
          && digest_equal ((*credential)->authorization, self->basic);
  }
  if (credentials != NULL)
    gst_rtsp_auth_credentials_free (credentials);
  return valid;
}

static gboolean
helper_auth_authenticate (GstRTSPAuth * auth, GstRTSPContext * ctx)
{
  HelperAuth *self = HELPER_AUTH (auth);
  gboolean stale;

  /* Borrowed, as GstRTSPAuth does: the tokens live as long as the auth. */
  ctx->token = check_credentials (self, ctx, &stale) ? self->viewer
      : self->anonymous;
  return TRUE;
}

static void
helper_auth_generate_authenticate_header (GstRTSPAuth * auth,
    GstRTSPContext * ctx)
{
  HelperAuth *self = HELPER_AUTH (auth);
  gboolean stale;
  gchar *nonce = digest_nonce_new (self->config->auth_key, now_s (),
      client_address (ctx));
  gchar *digest;

  check_credentials (self, ctx, &stale);
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
}

void
auth_configure (App * app)
{
  const HelperConfig *config = &app->config;
  HelperAuth *auth;

  if (config->auth_user == NULL)
    return;

  for (guint i = 0; i < app->mounts->count; i++) {
    GstRTSPMediaFactory *factory =
        GST_RTSP_MEDIA_FACTORY (app->mounts->factory[i]);

    gst_rtsp_media_factory_add_role (factory, VIEWER_ROLE,
        GST_RTSP_PERM_MEDIA_FACTORY_ACCESS, G_TYPE_BOOLEAN, TRUE,
        GST_RTSP_PERM_MEDIA_FACTORY_CONSTRUCT, G_TYPE_BOOLEAN, TRUE, NULL);
    gst_rtsp_media_factory_add_role (factory, ANONYMOUS_ROLE,
        GST_RTSP_PERM_MEDIA_FACTORY_ACCESS, G_TYPE_BOOLEAN, TRUE,
        GST_RTSP_PERM_MEDIA_FACTORY_CONSTRUCT, G_TYPE_BOOLEAN, FALSE, NULL);
  }

  auth = g_object_new (HELPER_TYPE_AUTH, NULL);
  auth->config = config;
  if (config->auth_basic)
    auth->basic = gst_rtsp_auth_make_basic (config->auth_user,
        config->auth_password);
  gst_rtsp_server_set_auth (app->server, GST_RTSP_AUTH (auth));
  g_object_unref (auth);
}
