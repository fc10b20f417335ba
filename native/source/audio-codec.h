/* What a mount sends as its audio stream (--audio): the codec, how the
 * decode gets it from the file's audio (as it is when the file has it,
 * else decoded and encoded) and how a media payloads it. */
#ifndef RTSP_HELPER_AUDIO_CODEC_H
#define RTSP_HELPER_AUDIO_CODEC_H

#include <gst/gst.h>

typedef enum
{
  AUDIO_CODEC_NONE,
  AUDIO_CODEC_AAC,
  AUDIO_CODEC_OPUS,
  AUDIO_CODEC_PCMU,
  AUDIO_CODEC_PCMA,
} AudioCodec;

/* "none", "aac", "opus", "pcmu" or "pcma"; FALSE for anything else. */
gboolean audio_codec_from_name (const gchar * name, AudioCodec * codec);
const gchar *audio_codec_name (AudioCodec codec);

/* The file's audio is already this codec, in a form the payloader takes
 * once parsed: decodebin need not decode it. */
gboolean audio_codec_matches (AudioCodec codec, const GstCaps * caps);
/* Between decodebin's audio pad and the audio appsink: the parser when the
 * pad matches (passthrough), else conversion and the encoder. */
const gchar *audio_codec_decode_branch (AudioCodec codec, gboolean passthrough);
/* A live source's audio, whatever its codec, rate and channels: always
 * encoded, to one fixed AAC format, so that its silence (below) and a
 * source that changes on reconnecting never change what the medias get. */
const gchar *audio_codec_live_branch (void);
/* One AAC frame of that format, of silence, made by a short pipeline
 * ending in the appsink "sink". */
const gchar *audio_codec_live_silence (void);
/* That format's frame duration. */
#define AUDIO_CODEC_LIVE_FRAME_US (G_USEC_PER_SEC * 1024 / 48000)
/* The media's audio elements: appsrc "asrc" and the payloader "pay1". */
gchar *audio_codec_media_launch (AudioCodec codec);
/* Checks that the codec's parser, encoder and payloader are installed. */
gboolean audio_codec_check (AudioCodec codec, GError ** error);

#endif /* RTSP_HELPER_AUDIO_CODEC_H */
