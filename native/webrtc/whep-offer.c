#include "webrtc/whep-offer.h"

#include <string.h>

#include "feedback/twcc-extension.h"
/* profile_idc and constraint flags (RFC 6184 8.1): constrained baseline is
 * 42 with constraint_set1 (0x40), as 42e0 or 42c0; main is 4d. */
#define PROFILE_MAIN 0x4d
#define PROFILE_BASELINE 0x42
#define CONSTRAINT_SET1 0x40

/* The value of `name` in an fmtp attribute's parameters, NULL if absent. */
static gchar *
fmtp_parameter (const gchar * parameters, const gchar * name)
{
  gchar **pairs = g_strsplit (parameters, ";", 0);
  gchar *value = NULL;

  for (guint i = 0; pairs[i] != NULL && value == NULL; i++) {
    gchar *pair = g_strstrip (pairs[i]);
    gsize length = strlen (name);

    if (g_ascii_strncasecmp (pair, name, length) == 0 && pair[length] == '=')
      value = g_strdup (pair + length + 1);
  }
  g_strfreev (pairs);
  return value;
}

/* The fmtp parameters of `payload`, or NULL. */
static const gchar *
fmtp_of (const GstSDPMedia * media, guint payload)
{
  for (guint i = 0; i < gst_sdp_media_attributes_len (media); i++) {
    const GstSDPAttribute *attribute = gst_sdp_media_get_attribute (media, i);
    gchar *end;
    guint64 pt;

    if (g_strcmp0 (attribute->key, "fmtp") != 0 || attribute->value == NULL)
      continue;
    pt = g_ascii_strtoull (attribute->value, &end, 10);
    if (end != attribute->value && pt == payload && *end == ' ')
      return end + 1;
  }
  return NULL;
}

static gboolean
has_attribute_value (const GstSDPMedia * media, const gchar * key,
    const gchar * value)
{
  for (guint i = 0; i < gst_sdp_media_attributes_len (media); i++) {
    const GstSDPAttribute *attribute = gst_sdp_media_get_attribute (media, i);

    if (g_strcmp0 (attribute->key, key) == 0
        && g_strcmp0 (attribute->value, value) == 0)
      return TRUE;
  }
  return FALSE;
}

/* A media-level attribute, else the session's. */
static const gchar *
attribute_of (const GstSDPMessage * sdp, const GstSDPMedia * media,
    const gchar * key)
{
  const gchar *value = gst_sdp_media_get_attribute_val (media, key);

  return value != NULL ? value : gst_sdp_message_get_attribute_val (sdp, key);
}

/* The id of the transport-wide-cc extmap ("4 http://…"), 0 if none. */
static guint
twcc_ext_id (const GstSDPMedia * media)
{
  for (guint i = 0; i < gst_sdp_media_attributes_len (media); i++) {
    const GstSDPAttribute *attribute = gst_sdp_media_get_attribute (media, i);
    gchar *end;
    guint64 id;

    if (g_strcmp0 (attribute->key, "extmap") != 0 || attribute->value == NULL)
      continue;
    id = g_ascii_strtoull (attribute->value, &end, 10);
    /* "4/recvonly URI" names a direction too. */
    end += strcspn (end, " ");
    if (id >= 1 && id <= 14 && g_str_has_prefix (end, " " TWCC_URI))
      return (guint) id;
  }
  return 0;
}

/* How well an H.264 payload suits: 0 not at all (packetization mode 0, an
 * unknown profile), 1 constrained baseline, 2 the encoder's main. */
static guint
h264_rank (const GstSDPMedia * media, guint payload, gboolean prefer_main,
    gboolean * main_profile, gchar ** profile_level_id)
{
  const gchar *parameters = fmtp_of (media, payload);
  gchar *mode, *id;
  guint rank = 0;
  guint64 profile;

  if (parameters == NULL)
    return 0;
  mode = fmtp_parameter (parameters, "packetization-mode");
  id = fmtp_parameter (parameters, "profile-level-id");
  if (g_strcmp0 (mode, "1") == 0 && id != NULL && strlen (id) == 6
      && g_ascii_isxdigit (id[0])) {
    profile = g_ascii_strtoull (id, NULL, 16);
    if ((profile >> 16) == PROFILE_MAIN)
      rank = prefer_main ? 2 : 0;
    else if ((profile >> 16) == PROFILE_BASELINE
        && ((profile >> 8) & CONSTRAINT_SET1))
      rank = 1;
  }
  if (rank > 0) {
    *main_profile = rank == 2;
    *profile_level_id = g_ascii_strdown (id, -1);
  }
  g_free (mode);
  g_free (id);
  return rank;
}

/* Whether `payload` is mapped to H.264 by an rtpmap ("103 H264/90000"). */
static gboolean
is_h264 (const GstSDPMedia * media, guint payload)
{
  gchar *expected = g_strdup_printf ("%u H264/90000", payload);
  const gchar *rtpmap;
  gboolean found = FALSE;

  for (guint n = 0; !found && (rtpmap =
          gst_sdp_media_get_attribute_val_n (media, "rtpmap", n)) != NULL; n++)
    found = g_ascii_strcasecmp (rtpmap, expected) == 0;
  g_free (expected);
  return found;
}

/* The best H.264 payload of a video m-line; FALSE when none suits. */
static gboolean
choose_h264 (const GstSDPMedia * media, gboolean prefer_main, WhepOffer * offer)
{
  gchar *transport_cc;
  guint best = 0;

  for (guint i = 0; i < gst_sdp_media_formats_len (media); i++) {
    guint64 payload = g_ascii_strtoull (gst_sdp_media_get_format (media, i),
        NULL, 10);
    gboolean main_profile = FALSE;
    gchar *id = NULL;
    guint rank;

    if (payload > 127 || !is_h264 (media, (guint) payload))
      continue;
    rank = h264_rank (media, (guint) payload, prefer_main, &main_profile, &id);
    if (rank > best) {
      best = rank;
      offer->payload = (guint) payload;
      offer->main_profile = main_profile;
      g_free (offer->profile_level_id);
      offer->profile_level_id = g_steal_pointer (&id);
    }
    g_free (id);
  }
  if (best == 0)
    return FALSE;
  transport_cc = g_strdup_printf ("%u transport-cc", offer->payload);
  offer->transport_cc = has_attribute_value (media, "rtcp-fb", transport_cc);
  g_free (transport_cc);
  return TRUE;
}

/* The codecs of an m-line by name ("VP8, VP9, H264"), for a 406. */
static gchar *
codec_names (const GstSDPMedia * media)
{
  GString *names = g_string_new (NULL);
  const gchar *rtpmap;

  for (guint n = 0; (rtpmap = gst_sdp_media_get_attribute_val_n (media,
              "rtpmap", n)) != NULL; n++) {
    const gchar *name = strchr (rtpmap, ' ');
    gsize length;
    gchar *word;

    if (name == NULL)
      continue;
    name++;
    length = strcspn (name, "/");
    word = g_strndup (name, length);
    if (!g_str_equal (word, "rtx") && !g_str_equal (word, "red")
        && !g_str_equal (word, "ulpfec") && strstr (names->str, word) == NULL)
      g_string_append_printf (names, "%s%s", names->len > 0 ? ", " : "", word);
    g_free (word);
  }
  return g_string_free (names, FALSE);
}

gboolean
whep_offer_parse (const gchar * text, gsize size, gboolean prefer_main,
    WhepOffer * offer, WhepOfferProblem * problem, gchar ** message)
{
  const GstSDPMedia *video = NULL;

  memset (offer, 0, sizeof (*offer));
  if (!g_utf8_validate (text, size, NULL) || memchr (text, '\0', size) != NULL)
    goto not_text;
  if (size == 0 || gst_sdp_message_new (&offer->sdp) != GST_SDP_OK
      || gst_sdp_message_parse_buffer ((const guint8 *) text, (guint) size,
          offer->sdp) != GST_SDP_OK
      || gst_sdp_message_get_version (offer->sdp) == NULL
      || gst_sdp_message_medias_len (offer->sdp) == 0)
    goto not_sdp;
  for (guint i = 0; i < gst_sdp_message_medias_len (offer->sdp); i++) {
    const GstSDPMedia *media = gst_sdp_message_get_media (offer->sdp, i);

    if (g_strcmp0 (gst_sdp_media_get_media (media), "video") == 0
        && gst_sdp_media_get_port (media) != 0) {
      video = media;
      offer->media_index = i;
      break;
    }
  }
  if (video == NULL)
    goto no_video;
  if (g_strcmp0 (gst_sdp_media_get_proto (video), "UDP/TLS/RTP/SAVPF") != 0)
    goto not_webrtc;
  if (attribute_of (offer->sdp, video, "ice-ufrag") == NULL
      || attribute_of (offer->sdp, video, "ice-pwd") == NULL)
    goto no_ice;
  if (attribute_of (offer->sdp, video, "fingerprint") == NULL)
    goto no_fingerprint;
  if (gst_sdp_media_get_attribute_val (video, "sendonly") != NULL
      || gst_sdp_media_get_attribute_val (video, "inactive") != NULL)
    goto not_receiving;
  if (!choose_h264 (video, prefer_main, offer))
    goto no_h264;
  offer->twcc_ext_id = twcc_ext_id (video);
  return TRUE;

  /* ERRORS */
not_text:
  {
    *problem = WHEP_OFFER_MALFORMED;
    *message = g_strdup ("the offer is not text (not UTF-8, or a NUL byte)");
    goto failed;
  }
not_sdp:
  {
    *problem = WHEP_OFFER_MALFORMED;
    *message = g_strdup ("the offer is not an SDP session description "
        "(no v= line or no m= line)");
    goto failed;
  }
no_video:
  {
    *problem = WHEP_OFFER_MALFORMED;
    *message = g_strdup ("the offer has no video m-line to receive on");
    goto failed;
  }
not_webrtc:
  {
    *problem = WHEP_OFFER_MALFORMED;
    *message = g_strdup_printf ("the video m-line's protocol is %s, "
        "not WebRTC's UDP/TLS/RTP/SAVPF", gst_sdp_media_get_proto (video));
    goto failed;
  }
no_ice:
  {
    *problem = WHEP_OFFER_MALFORMED;
    *message = g_strdup ("the offer has no ice-ufrag or ice-pwd");
    goto failed;
  }
no_fingerprint:
  {
    *problem = WHEP_OFFER_MALFORMED;
    *message = g_strdup ("the offer has no DTLS fingerprint");
    goto failed;
  }
not_receiving:
  {
    *problem = WHEP_OFFER_MALFORMED;
    *message = g_strdup ("the video m-line does not receive "
        "(sendonly or inactive): a WHEP viewer's is recvonly");
    goto failed;
  }
no_h264:
  {
    gchar *names = codec_names (video);

    *problem = WHEP_OFFER_NO_H264;
    *message = g_strdup_printf ("the offer has no H.264 with "
        "packetization-mode=1 in constrained baseline%s (offered: %s)",
        prefer_main ? " or main" : "", *names != '\0' ? names : "nothing");
    g_free (names);
    goto failed;
  }
failed:
  {
    whep_offer_clear (offer);
    return FALSE;
  }
}

void
whep_offer_clear (WhepOffer * offer)
{
  g_clear_pointer (&offer->sdp, gst_sdp_message_free);
  g_clear_pointer (&offer->profile_level_id, g_free);
}
