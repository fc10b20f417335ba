/* whep_offer_parse() on any body a browser, or anyone, may POST to a WHEP
 * endpoint (the supervisor passes it through as it came, up to 64 KiB).
 * Beyond crashes, it checks what the parser promises: an offer taken has
 * its SDP, an H.264 payload type and profile-level-id as offered, a video
 * m-line that exists, a TWCC extmap id an RTP one-byte header can carry;
 * one refused has its words and keeps nothing. */
#include "fuzz/fuzz.h"

#include <string.h>

#include "webrtc/whep-offer.h"

int
LLVMFuzzerInitialize (int *argc G_GNUC_UNUSED, char ***argv G_GNUC_UNUSED)
{
  return 0;
}

static void
check (const gchar * text, gsize size, gboolean prefer_main)
{
  WhepOfferProblem problem;
  gchar *message = NULL;
  WhepOffer offer;

  if (whep_offer_parse (text, size, prefer_main, &offer, &problem, &message)) {
    FUZZ_CHECK (offer.sdp != NULL);
    FUZZ_CHECK (offer.media_index < gst_sdp_message_medias_len (offer.sdp));
    FUZZ_CHECK (offer.payload <= 127);
    FUZZ_CHECK (offer.profile_level_id != NULL
        && strlen (offer.profile_level_id) == 6);
    FUZZ_CHECK (offer.twcc_ext_id <= 14);
    FUZZ_CHECK (prefer_main || !offer.main_profile);
    FUZZ_CHECK (message == NULL);
    whep_offer_clear (&offer);
  } else {
    FUZZ_CHECK (message != NULL && *message != '\0');
    FUZZ_CHECK (problem == WHEP_OFFER_MALFORMED
        || problem == WHEP_OFFER_NO_H264);
    FUZZ_CHECK (offer.sdp == NULL && offer.profile_level_id == NULL);
    g_free (message);
  }
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  check ((const gchar *) data, size, TRUE);
  check ((const gchar *) data, size, FALSE);
  return 0;
}
