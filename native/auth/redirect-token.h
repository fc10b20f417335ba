/* Credentials through the redirect (docs/auth.md): the front door's 302 to
 * an authenticated viewer names a user "abr-redirect-<expiry>" and a
 * password of its own making, an HMAC of the expiry, the client's address
 * and the video (the request path's first segment) with the key the front
 * door and the helpers share (src/front-door/redirect-token.ts is the same
 * scheme). With Digest neither side ever sees the viewer's own password, so
 * the helper derives this one to check the viewer's answer. */
#ifndef RTSP_HELPER_REDIRECT_TOKEN_H
#define RTSP_HELPER_REDIRECT_TOKEN_H

#include <glib.h>

#define REDIRECT_TOKEN_USER_PREFIX "abr-redirect-"
/* The longest a token may claim to live: the front door gives 60 s. */
#define REDIRECT_TOKEN_MAX_LIFETIME_S 60

typedef enum
{
  REDIRECT_TOKEN_NONE,          /* not a token user name: the viewer's own */
  REDIRECT_TOKEN_USABLE,        /* `password` is filled */
  REDIRECT_TOKEN_EXPIRED,
  REDIRECT_TOKEN_MALFORMED,
} RedirectTokenCheck;

/* The password a token user name stands for, for the client at `address`
 * asking for `path`. An expired token is still usable `in_session`: its
 * viewer got the session while it was valid (gst-rtsp-server finds a
 * request's session before authenticating it) and keeps it alive with the
 * same credentials. `now_s` is wall-clock seconds. */
RedirectTokenCheck redirect_token_password (const guint8 * key,
    const gchar * user, const gchar * address, const gchar * path,
    gint64 now_s, gboolean in_session, gchar ** password);

#endif /* RTSP_HELPER_REDIRECT_TOKEN_H */
