/* The credentials viewers must give: from the environment, not the command
 * line, where every local user could read them in /proc. */
#ifndef RTSP_HELPER_CREDENTIALS_H
#define RTSP_HELPER_CREDENTIALS_H

#include "auth/digest.h"

/* "user:password". Empty or unset: no authentication. */
#define AUTH_ENV "RTSP_HELPER_AUTH"
/* 64 hex digits: the key shared with the front door for Digest nonces;
 * without it a random one. */
#define AUTH_KEY_ENV "RTSP_HELPER_AUTH_KEY"

typedef struct
{
  gchar *user;                  /* NULL: no authentication */
  gchar *password;
  gboolean basic;               /* accept Basic as well as Digest */
  guint8 key[DIGEST_KEY_BYTES]; /* signs Digest nonces */
} Credentials;

/* Fills the user and password, and with them the key. FALSE, with the
 * reason, when a variable is malformed or no random key could be had. */
gboolean credentials_read (Credentials * credentials, GError ** error);
/* Frees them, the password wiped first. */
void credentials_clear (Credentials * credentials);

#endif /* RTSP_HELPER_CREDENTIALS_H */
