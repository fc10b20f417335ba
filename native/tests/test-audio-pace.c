/* A live source's audio, spaced by its timestamps rather than its
 * arrival. */
#include "source/audio-pace.h"

#define FRAME (21 * GST_MSECOND)

/* Frames that the encoder hands out together, 50 ms after their audio
 * came, go out a frame apart, as if the encoder took no time. */
static void
test_spaces_a_burst_without_the_encoder (void)
{
  AudioPace pace;

  audio_pace_reset (&pace);
  for (gint i = 0; i < 4; i++)
    audio_pace_note (&pace, i * FRAME, 1000000 + i * 21000);
  g_assert_cmpuint (audio_pace_lateness (&pace, 2 * FRAME, 1092000), ==,
      50 * GST_MSECOND);
  g_assert_cmpuint (audio_pace_lateness (&pace, 3 * FRAME, 1092000), ==,
      29 * GST_MSECOND);
  g_assert_cmpuint (audio_pace_lateness (&pace, 10 * FRAME, 1092000), ==, 0);
}

/* A source whose clock runs slow is not held ever later: after two
 * windows the least delay is the recent one. */
static void
test_follows_a_slow_source (void)
{
  AudioPace pace;

  audio_pace_reset (&pace);
  /* Each 21-ms frame arrives 22 ms after the one before. */
  for (gint i = 0; i < 500; i++)
    audio_pace_note (&pace, i * FRAME, 1000000 + i * 22000);
  g_assert_cmpuint (audio_pace_lateness (&pace, 499 * FRAME,
          1000000 + 499 * 22000), <, 200 * GST_MSECOND);
}

/* Timestamps that jump back start the pace again. */
static void
test_restarts_on_a_jump (void)
{
  AudioPace pace;

  audio_pace_reset (&pace);
  audio_pace_note (&pace, 10 * GST_SECOND, 1000000);
  audio_pace_note (&pace, 0, 1021000);
  g_assert_cmpuint (audio_pace_lateness (&pace, 0, 1021000), ==, 0);
  audio_pace_note (&pace, FRAME, 1042000);
  g_assert_cmpuint (audio_pace_lateness (&pace, FRAME, 1042000), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/audio-pace/spaces-a-burst-without-the-encoder",
      test_spaces_a_burst_without_the_encoder);
  g_test_add_func ("/audio-pace/follows-a-slow-source",
      test_follows_a_slow_source);
  g_test_add_func ("/audio-pace/restarts-on-a-jump", test_restarts_on_a_jump);
  return g_test_run ();
}
