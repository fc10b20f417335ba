/* The wait between attempts to reach a live source. */
#include "source/backoff.h"

static void
test_doubles_to_ten_seconds (void)
{
  Backoff backoff;
  static const guint expected[] = { 500, 1000, 2000, 4000, 8000, 10000, 10000 };

  backoff_reset (&backoff);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpuint (backoff_next (&backoff), ==, expected[i]);
}

static void
test_reset_starts_over (void)
{
  Backoff backoff;

  backoff_reset (&backoff);
  backoff_next (&backoff);
  backoff_next (&backoff);
  backoff_reset (&backoff);
  g_assert_cmpuint (backoff_next (&backoff), ==, 500);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/backoff/doubles-to-ten-seconds",
      test_doubles_to_ten_seconds);
  g_test_add_func ("/backoff/reset-starts-over", test_reset_starts_over);
  return g_test_run ();
}
