#include "source/backoff.h"

void
backoff_reset (Backoff * backoff)
{
  backoff->next_ms = BACKOFF_FIRST_MS;
}

guint
backoff_next (Backoff * backoff)
{
  guint wait_ms = MAX (backoff->next_ms, BACKOFF_FIRST_MS);

  backoff->next_ms = MIN (wait_ms * 2, BACKOFF_MAX_MS);
  return wait_ms;
}
