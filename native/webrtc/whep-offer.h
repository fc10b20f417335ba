/* A WHEP viewer's SDP offer (RFC 9725, RFC 8829), checked before anything
 * is built for it: a video m-line the helper can send H.264 on, with what
 * the answer needs from it. What the offer lacks is said in words, for the
 * supervisor's 400 or 406. */
#ifndef RTSP_HELPER_WHEP_OFFER_H
#define RTSP_HELPER_WHEP_OFFER_H

#include <gst/sdp/sdp.h>

/* Why an offer cannot be answered. */
typedef enum
{
  WHEP_OFFER_MALFORMED,         /* not SDP, or not WebRTC's: 400 */
  WHEP_OFFER_NO_H264,           /* no H.264 the helper can send: 406 */
} WhepOfferProblem;

typedef struct
{
  GstSDPMessage *sdp;
  guint media_index;            /* the video m-line answered */
  guint payload;                /* its H.264 payload type */
  gchar *profile_level_id;      /* as offered ("42e01f") */
  gboolean main_profile;        /* FALSE: constrained baseline */
  guint twcc_ext_id;            /* 0: no transport-wide-cc extmap */
  gboolean transport_cc;        /* rtcp-fb transport-cc on that payload */
} WhepOffer;

/* Parses and checks `text`; prefer_main: the encoder's own profile is main
 * (a baseline-only viewer still gets constrained baseline). FALSE with
 * `problem` and a message naming what is wrong. */
gboolean whep_offer_parse (const gchar * text, gsize size,
    gboolean prefer_main, WhepOffer * offer, WhepOfferProblem * problem,
    gchar ** message);
void whep_offer_clear (WhepOffer * offer);

#endif /* RTSP_HELPER_WHEP_OFFER_H */
