/* RTSP Digest authentication (RFC 2069 form, as gst-rtsp-server and its
 * clients use it: no qop) with stateless nonces: the nonce is its expiry
 * time and an HMAC of it and of the client's address, so the supervisor's
 * front door and every helper that share the key accept each other's
 * nonces, from the client they were made for. FFmpeg, redirected from the
 * front door, answers the helper with the nonce it got there, and gives up
 * on a second 401. src/front-door/digest.ts is the same scheme. */
#ifndef RTSP_HELPER_DIGEST_H
#define RTSP_HELPER_DIGEST_H

#include <glib.h>

#define DIGEST_KEY_BYTES 32
#define DIGEST_NONCE_LIFETIME_S 60

typedef enum
{
  NONCE_VALID,
  NONCE_STALE,                  /* ours, but expired */
  NONCE_INVALID,
} NonceCheck;

/* A nonce for the client at `address` (an IP address; IPv4-mapped IPv6 as
 * plain IPv4), valid until now + DIGEST_NONCE_LIFETIME_S (wall clock,
 * seconds). */
gchar *digest_nonce_new (const guint8 * key, gint64 now_s,
    const gchar * address);
NonceCheck digest_nonce_check (const guint8 * key, const gchar * nonce,
    gint64 now_s, const gchar * address);
/* MD5(MD5(user:realm:password):nonce:MD5(method:uri)), lower-case hex. */
gchar *digest_response (const gchar * user, const gchar * realm,
    const gchar * password, const gchar * method, const gchar * uri,
    const gchar * nonce);
/* RFC 2617 3.2.2.5: a Digest answer's `uri` must name the request's
 * target: the same text, or the same path and query however the host is
 * written (a name, an address, with or without the port). */
gboolean digest_uri_names (const gchar * uri, const gchar * request_uri);
/* Compares without leaking where two strings differ. */
gboolean digest_equal (const gchar * a, const gchar * b);

#endif /* RTSP_HELPER_DIGEST_H */
