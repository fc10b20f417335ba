/* Password guessing slowed per client address: a bucket of
 * AUTH_THROTTLE_BURST failures that refills one every
 * AUTH_THROTTLE_REFILL_S. While an address's bucket is empty its
 * credentials are not checked at all, right ones included: checking them
 * would let guessing go on at full speed (1,400-2,000 a second before).
 * The front door's src/front-door/auth-throttle.ts is the same policy. */
#ifndef RTSP_HELPER_AUTH_THROTTLE_H
#define RTSP_HELPER_AUTH_THROTTLE_H

#include <glib.h>

#define AUTH_THROTTLE_BURST 10
#define AUTH_THROTTLE_REFILL_S 6
/* Addresses kept at most: past it, the least recently failed go first. */
#define AUTH_THROTTLE_MAX_ADDRESSES 10000

typedef struct _AuthThrottle AuthThrottle;

AuthThrottle *auth_throttle_new (void);
void auth_throttle_free (AuthThrottle * throttle);

/* `now_us`: a monotonic clock. Any thread. */
gboolean auth_throttle_locked (AuthThrottle * throttle, const gchar * address,
    gint64 now_us);
/* A wrong answer from that address. */
void auth_throttle_failed (AuthThrottle * throttle, const gchar * address,
    gint64 now_us);
/* Addresses the table holds. */
guint auth_throttle_size (AuthThrottle * throttle);

#endif /* RTSP_HELPER_AUTH_THROTTLE_H */
