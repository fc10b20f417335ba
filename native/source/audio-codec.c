#include "source/audio-codec.h"

/* Audio frames the media's appsrc queues before it drops the oldest: at
 * most about half a second of AAC (21 ms a frame), as for video frames a
 * slow media must not build up delay. */
#define AUDIO_APPSRC_MAX_BUFFERS 25

/* 48 kHz stereo AAC-LC, 1024 samples a frame (AUDIO_CODEC_LIVE_FRAME_US):
 * what most cameras' AAC is, and G.711 upsampled loses nothing. 64 kbit/s,
 * not avenc_aac's 128: a camera's sound beside a picture that may have
 * 600 kbit/s, which the video's controller does not count (a tone took
 * 124 kbit/s at the default). */
#define LIVE_RAW "audio/x-raw,rate=48000,channels=2"
#define LIVE_ENCODE \
  "avenc_aac bitrate=64000 ! aacparse " \
  "! capsfilter caps=audio/mpeg,stream-format=raw"

typedef struct
{
  const gchar *name;
  /* The file's audio that passes as it is. */
  const gchar *caps;
  const gchar *parse;
  /* From raw audio. */
  const gchar *encode;
  const gchar *payloader;
} AudioCodecSpec;

/* rtpmp4gpay takes raw AAC (aacparse converts ADTS); MPEG-2 AAC and
 * multichannel Opus are decoded and encoded again. G.711's payloaders take
 * one channel. Static payload types for G.711 (RFC 3551), dynamic for the
 * others. */
static const AudioCodecSpec specs[] = {
  [AUDIO_CODEC_NONE] = {"none", NULL, NULL, NULL, NULL},
  [AUDIO_CODEC_AAC] = {"aac", "audio/mpeg, mpegversion=(int)4",
        "aacparse ! capsfilter caps=audio/mpeg,stream-format=raw",
        "audioconvert ! audioresample ! audio/x-raw,channels=[1,2] "
        "! avenc_aac ! aacparse ! capsfilter caps=audio/mpeg,stream-format=raw",
      "rtpmp4gpay name=pay1 pt=97"},
  [AUDIO_CODEC_OPUS] = {"opus",
        "audio/x-opus, channel-mapping-family=(int)0", "opusparse",
        "audioconvert ! audioresample ! audio/x-raw,channels=[1,2] "
        "! opusenc ! opusparse",
      "rtpopuspay name=pay1 pt=97"},
  [AUDIO_CODEC_PCMU] = {"pcmu", "audio/x-mulaw, channels=(int)1", "identity",
        "audioconvert ! audioresample ! audio/x-raw,channels=1,rate=8000 "
        "! mulawenc",
      "rtppcmupay name=pay1 pt=0"},
  [AUDIO_CODEC_PCMA] = {"pcma", "audio/x-alaw, channels=(int)1", "identity",
        "audioconvert ! audioresample ! audio/x-raw,channels=1,rate=8000 "
        "! alawenc",
      "rtppcmapay name=pay1 pt=8"},
};

gboolean
audio_codec_from_name (const gchar * name, AudioCodec * codec)
{
  for (guint i = 0; i < G_N_ELEMENTS (specs); i++) {
    if (g_str_equal (name, specs[i].name)) {
      *codec = (AudioCodec) i;
      return TRUE;
    }
  }
  return FALSE;
}

const gchar *
audio_codec_name (AudioCodec codec)
{
  return specs[codec].name;
}

gboolean
audio_codec_matches (AudioCodec codec, const GstCaps * caps)
{
  GstCaps *passes;
  gboolean matches;

  if (specs[codec].caps == NULL)
    return FALSE;
  passes = gst_caps_from_string (specs[codec].caps);
  matches = gst_caps_can_intersect (caps, passes);
  gst_caps_unref (passes);
  return matches;
}

const gchar *
audio_codec_decode_branch (AudioCodec codec, gboolean passthrough)
{
  return passthrough ? specs[codec].parse : specs[codec].encode;
}

const gchar *
audio_codec_live_branch (void)
{
  return "audioconvert ! audioresample ! " LIVE_RAW " ! " LIVE_ENCODE;
}

/* Enough frames for the encoder's first output to be behind it: the last
 * is the frame of silence that follows silence. */
const gchar *
audio_codec_live_silence (void)
{
  return "audiotestsrc wave=silence num-buffers=6 samplesperbuffer=1024 ! "
      LIVE_RAW " ! " LIVE_ENCODE " ! appsink name=sink sync=false";
}

gchar *
audio_codec_media_launch (AudioCodec codec)
{
  if (codec == AUDIO_CODEC_NONE)
    return g_strdup ("");
  /* The tee: see media_launch_new(). */
  return g_strdup_printf ("appsrc name=asrc is-live=true format=time "
      "max-buffers=%d leaky-type=downstream ! tee allow-not-linked=true ! %s",
      AUDIO_APPSRC_MAX_BUFFERS, specs[codec].payloader);
}

static gboolean
check_description (const gchar * description, GError ** error)
{
  GstElement *bin = gst_parse_bin_from_description_full (description, TRUE,
      NULL, GST_PARSE_FLAG_FATAL_ERRORS, error);

  if (bin == NULL)
    return FALSE;
  gst_object_unref (bin);
  return TRUE;
}

gboolean
audio_codec_check (AudioCodec codec, GError ** error)
{
  gchar *launch;
  gboolean ok;

  if (codec == AUDIO_CODEC_NONE)
    return TRUE;
  launch = audio_codec_media_launch (codec);
  ok = check_description (specs[codec].parse, error)
      && check_description (specs[codec].encode, error)
      && check_description (launch, error);
  g_free (launch);
  return ok;
}
