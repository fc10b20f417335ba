/* The credentials viewers must give: from the environment, not the command
 * line, where every local user could read them in /proc. */
#ifndef RTSP_HELPER_CREDENTIALS_H
#define RTSP_HELPER_CREDENTIALS_H

#include "main/app.h"

/* "user:password". Empty or unset: no authentication. */
#define AUTH_ENV "RTSP_HELPER_AUTH"
/* 64 hex digits: the key shared with the front door for Digest nonces;
 * without it a random one. */
#define AUTH_KEY_ENV "RTSP_HELPER_AUTH_KEY"

/* Fills config's auth_user and auth_password, and with them its auth_key.
 * FALSE, with the reason, when a variable is malformed or no random key
 * could be had. */
gboolean credentials_read (HelperConfig * config, GError ** error);

#endif /* RTSP_HELPER_CREDENTIALS_H */
