/* An encoder's media launch line: appsrc, encoder and payloader; and the
 * audio's appsrc and payloader when the mount sends audio. */
#ifndef RTSP_HELPER_MEDIA_LAUNCH_H
#define RTSP_HELPER_MEDIA_LAUNCH_H

#include <gst/gst.h>

#include "source/audio-codec.h"

/* The elements of a media that the helper drives, each a reference. */
typedef struct
{
  GstElement *appsrc;           /* "src" */
  GstElement *enc;              /* "enc" */
  GstElement *pay;              /* "pay0" */
  GstElement *audio_appsrc;     /* "asrc"; NULL: no audio */
} MediaElements;

/* The video chain, appsrc "src" to rtph264pay "pay0" sending `payload`:
 * x264's speed preset (docs/encoder.md), its profile (main or constrained
 * baseline), the output frame rate (0: the file's). */
gchar *media_launch_video_new (const gchar * preset, gboolean main_profile,
    gint fps, gint bitrate_kbps, guint payload);
/* The profile that gets the most picture per bit from a speed preset
 * (npm run bench:encoder, 2026-12-02, docs/encoder.md): ultrafast turns
 * CABAC off whatever the profile, so main scores the same as constrained
 * baseline there; from superfast on, main's CABAC gives +0.7 dB SSIM at
 * 600 kbit/s for ~0.3 ms more CPU per frame. */
gboolean media_launch_main_profile (const gchar * preset);
/* An RTSP media's launch line: the video chain (payload 96, the preset's
 * profile) and the audio stream's, if any. */
gchar *media_launch_new (const gchar * preset, gint fps, gint bitrate_kbps,
    AudioCodec audio);
/* Parses the launch line once, so that a missing element is fatal at start
 * rather than a failure of every viewer. */
gboolean media_launch_check (const gchar * launch, GError ** error);
/* Fills elements from the media's element; FALSE, with none, when src, enc
 * or pay0 is missing. */
gboolean media_launch_elements (GstElement * element,
    MediaElements * elements);
void media_elements_clear (MediaElements * elements);
/* The encoder's keyframe interval for a frame rate (0/0 when unknown). */
guint media_launch_key_int_max (gint fps_n, gint fps_d);

#endif /* RTSP_HELPER_MEDIA_LAUNCH_H */
