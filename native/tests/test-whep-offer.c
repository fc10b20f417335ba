/* whep_offer_parse(): a browser's offer, and what is wrong with others. */
#include "webrtc/whep-offer.h"

#include <string.h>

/* The parts of Chromium 120's recvonly video offer that matter, in its
 * order: VP8 first, H.264 baseline (mode 1 and 0), constrained baseline,
 * main. */
#define HEAD \
  "v=0\r\no=- 5464555423383123403 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n" \
  "a=group:BUNDLE 0\r\n"
#define ICE \
  "a=ice-ufrag:K1D7\r\na=ice-pwd:9+wgBBsaaPaskCMUGlc9cz/z\r\n" \
  "a=fingerprint:sha-256 66:BA:1A:04:AC:63:E6:05:CB:F9:E5:B0:01:57:35:0B:" \
  "B3:16:FC:7B:C3:B1:9F:83:80:6D:A9:18:86:29:F5:94\r\na=setup:actpass\r\n"
#define VIDEO_LINE "m=video 9 UDP/TLS/RTP/SAVPF 96 102 103 106 107 108\r\n"
#define EXTMAPS \
  "a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time\r\n" \
  "a=extmap:4 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01\r\n"
#define CODECS \
  "a=mid:0\r\na=recvonly\r\na=rtcp-mux\r\n" \
  "a=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 transport-cc\r\n" \
  "a=rtpmap:102 H264/90000\r\na=rtcp-fb:102 transport-cc\r\n" \
  "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f\r\n" \
  "a=rtpmap:103 H264/90000\r\n" \
  "a=fmtp:103 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42e01f\r\n" \
  "a=rtpmap:106 H264/90000\r\na=rtcp-fb:106 transport-cc\r\na=rtcp-fb:106 nack pli\r\n" \
  "a=fmtp:106 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f\r\n" \
  "a=rtpmap:107 rtx/90000\r\na=fmtp:107 apt=106\r\n" \
  "a=rtpmap:108 H264/90000\r\na=rtcp-fb:108 transport-cc\r\n" \
  "a=fmtp:108 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d001f\r\n"
#define CHROMIUM HEAD VIDEO_LINE ICE EXTMAPS CODECS

typedef struct
{
  gboolean parsed;
  WhepOffer offer;
  WhepOfferProblem problem;
  gchar *message;
} Parsed;

static Parsed
parse (const gchar * text, gboolean prefer_main)
{
  Parsed parsed = { 0 };

  parsed.parsed = whep_offer_parse (text, strlen (text), prefer_main,
      &parsed.offer, &parsed.problem, &parsed.message);
  return parsed;
}

static void
parsed_clear (Parsed * parsed)
{
  whep_offer_clear (&parsed->offer);
  g_free (parsed->message);
}

static void
test_main_profile_when_the_encoder_makes_it (void)
{
  Parsed parsed = parse (CHROMIUM, TRUE);

  g_assert_true (parsed.parsed);
  g_assert_cmpuint (parsed.offer.payload, ==, 108);
  g_assert_true (parsed.offer.main_profile);
  g_assert_cmpstr (parsed.offer.profile_level_id, ==, "4d001f");
  g_assert_cmpuint (parsed.offer.twcc_ext_id, ==, 4);
  g_assert_true (parsed.offer.transport_cc);
  g_assert_cmpuint (parsed.offer.media_index, ==, 0);
  parsed_clear (&parsed);
}

static void
test_constrained_baseline_in_mode_1 (void)
{
  Parsed parsed = parse (CHROMIUM, FALSE);

  /* Not 102 (baseline without constraint_set1), not 103 (mode 0). */
  g_assert_true (parsed.parsed);
  g_assert_cmpuint (parsed.offer.payload, ==, 106);
  g_assert_false (parsed.offer.main_profile);
  g_assert_cmpstr (parsed.offer.profile_level_id, ==, "42e01f");
  parsed_clear (&parsed);
}

static void
test_no_h264_is_406_naming_the_codecs (void)
{
  Parsed parsed = parse (HEAD "m=video 9 UDP/TLS/RTP/SAVPF 96 98\r\n" ICE
      "a=recvonly\r\na=rtpmap:96 VP8/90000\r\na=rtpmap:98 VP9/90000\r\n",
      TRUE);

  g_assert_false (parsed.parsed);
  g_assert_cmpint (parsed.problem, ==, WHEP_OFFER_NO_H264);
  g_assert_nonnull (strstr (parsed.message, "offered: VP8, VP9"));
  g_assert_null (parsed.offer.sdp);
  parsed_clear (&parsed);
}

static void
test_h264_in_mode_0_only_is_406 (void)
{
  Parsed parsed = parse (HEAD "m=video 9 UDP/TLS/RTP/SAVPF 103\r\n" ICE
      "a=rtpmap:103 H264/90000\r\n"
      "a=fmtp:103 packetization-mode=0;profile-level-id=42e01f\r\n", TRUE);

  g_assert_false (parsed.parsed);
  g_assert_cmpint (parsed.problem, ==, WHEP_OFFER_NO_H264);
  parsed_clear (&parsed);
}

static void
test_malformed_offers_say_what_is_missing (void)
{
  static const struct
  {
    const gchar *text;
    const gchar *says;
  } cases[] = {
    {"", "not an SDP"},
    {"hello", "not an SDP"},
    {HEAD, "not an SDP"},
    {HEAD "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n" ICE, "no video"},
    {HEAD "m=video 9 RTP/AVP 96\r\n" ICE, "RTP/AVP"},
    {HEAD VIDEO_LINE "a=fingerprint:sha-256 00\r\n", "ice-ufrag"},
    {HEAD VIDEO_LINE "a=ice-ufrag:a\r\na=ice-pwd:b\r\n", "fingerprint"},
    {HEAD VIDEO_LINE ICE "a=sendonly\r\n" CODECS, "sendonly"},
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    Parsed parsed = parse (cases[i].text, TRUE);

    g_assert_false (parsed.parsed);
    g_assert_cmpint (parsed.problem, ==, WHEP_OFFER_MALFORMED);
    if (strstr (parsed.message, cases[i].says) == NULL)
      g_error ("case %u: \"%s\" does not say \"%s\"", i, parsed.message,
          cases[i].says);
    parsed_clear (&parsed);
  }
}

static void
test_binary_is_malformed (void)
{
  static const gchar bytes[] = "v=0\r\n\0\xff\xfe";
  WhepOffer offer;
  WhepOfferProblem problem;
  gchar *message = NULL;

  g_assert_false (whep_offer_parse (bytes, sizeof (bytes) - 1, TRUE, &offer,
          &problem, &message));
  g_assert_cmpint (problem, ==, WHEP_OFFER_MALFORMED);
  g_assert_nonnull (strstr (message, "not text"));
  g_free (message);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/whep-offer/main-profile",
      test_main_profile_when_the_encoder_makes_it);
  g_test_add_func ("/whep-offer/constrained-baseline",
      test_constrained_baseline_in_mode_1);
  g_test_add_func ("/whep-offer/no-h264",
      test_no_h264_is_406_naming_the_codecs);
  g_test_add_func ("/whep-offer/mode-0-only", test_h264_in_mode_0_only_is_406);
  g_test_add_func ("/whep-offer/malformed",
      test_malformed_offers_say_what_is_missing);
  g_test_add_func ("/whep-offer/binary", test_binary_is_malformed);
  return g_test_run ();
}
