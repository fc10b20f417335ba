/* The failed-authentication throttle, on an injected clock. */
#include "auth/auth-throttle.h"

#define START_US G_GINT64_CONSTANT (1000000000)
#define REFILL_US ((gint64) AUTH_THROTTLE_REFILL_S * G_USEC_PER_SEC)

static void
fail_times (AuthThrottle * throttle, const gchar * address, guint times,
    gint64 now_us)
{
  for (guint i = 0; i < times; i++)
    auth_throttle_failed (throttle, address, now_us);
}

/* AUTH_THROTTLE_BURST failures at once, then locked; others are not. */
static void
test_burst (void)
{
  AuthThrottle *throttle = auth_throttle_new ();

  g_assert_false (auth_throttle_locked (throttle, "192.0.2.1", START_US));
  g_assert_cmpuint (auth_throttle_size (throttle), ==, 0);
  for (guint i = 0; i < AUTH_THROTTLE_BURST - 1; i++) {
    auth_throttle_failed (throttle, "192.0.2.1", START_US);
    g_assert_false (auth_throttle_locked (throttle, "192.0.2.1", START_US));
  }
  auth_throttle_failed (throttle, "192.0.2.1", START_US);
  g_assert_true (auth_throttle_locked (throttle, "192.0.2.1", START_US));
  g_assert_false (auth_throttle_locked (throttle, "192.0.2.2", START_US));
  g_assert_cmpuint (auth_throttle_size (throttle), ==, 1);
  auth_throttle_free (throttle);
}

/* One failure back every AUTH_THROTTLE_REFILL_S, not before. */
static void
test_refill (void)
{
  AuthThrottle *throttle = auth_throttle_new ();
  gint64 now_us = START_US;

  fail_times (throttle, "192.0.2.1", AUTH_THROTTLE_BURST, now_us);
  g_assert_true (auth_throttle_locked (throttle, "192.0.2.1",
          now_us + REFILL_US - 1));
  now_us += REFILL_US;
  g_assert_false (auth_throttle_locked (throttle, "192.0.2.1", now_us));
  auth_throttle_failed (throttle, "192.0.2.1", now_us);
  g_assert_true (auth_throttle_locked (throttle, "192.0.2.1", now_us));

  /* Two refills, two failures. */
  now_us += 2 * REFILL_US;
  fail_times (throttle, "192.0.2.1", 1, now_us);
  g_assert_false (auth_throttle_locked (throttle, "192.0.2.1", now_us));
  fail_times (throttle, "192.0.2.1", 1, now_us);
  g_assert_true (auth_throttle_locked (throttle, "192.0.2.1", now_us));
  auth_throttle_free (throttle);
}

/* Failures while locked leave no debt: one refill, one more try. */
static void
test_no_debt (void)
{
  AuthThrottle *throttle = auth_throttle_new ();

  fail_times (throttle, "192.0.2.1", 100, START_US);
  g_assert_false (auth_throttle_locked (throttle, "192.0.2.1",
          START_US + REFILL_US));
  auth_throttle_free (throttle);
}

/* A bucket refilled to the top holds nothing: it is forgotten at the next
 * failure from anywhere. */
static void
test_full_buckets_forgotten (void)
{
  AuthThrottle *throttle = auth_throttle_new ();
  gint64 full_us = START_US + AUTH_THROTTLE_BURST * REFILL_US;

  fail_times (throttle, "192.0.2.1", AUTH_THROTTLE_BURST, START_US);
  fail_times (throttle, "192.0.2.2", 1, full_us - 1);
  g_assert_cmpuint (auth_throttle_size (throttle), ==, 2);
  auth_throttle_failed (throttle, "192.0.2.3", full_us - 1);
  g_assert_cmpuint (auth_throttle_size (throttle), ==, 3);
  /* 192.0.2.1 is full again; 192.0.2.2, behind it, not yet. */
  auth_throttle_failed (throttle, "192.0.2.3", full_us);
  g_assert_cmpuint (auth_throttle_size (throttle), ==, 2);
  g_assert_false (auth_throttle_locked (throttle, "192.0.2.1", full_us));
  auth_throttle_free (throttle);
}

/* Past AUTH_THROTTLE_MAX_ADDRESSES, the least recently failed go first,
 * however empty their bucket. */
static void
test_table_cap (void)
{
  AuthThrottle *throttle = auth_throttle_new ();
  gint64 now_us = START_US;

  fail_times (throttle, "first", AUTH_THROTTLE_BURST, now_us);
  fail_times (throttle, "second", AUTH_THROTTLE_BURST, now_us);
  for (guint i = 0; i < AUTH_THROTTLE_MAX_ADDRESSES - 2; i++) {
    gchar *address = g_strdup_printf ("10.%u.%u.%u", i >> 16,
        (i >> 8) & 0xff, i & 0xff);

    auth_throttle_failed (throttle, address, now_us);
    g_free (address);
  }
  g_assert_cmpuint (auth_throttle_size (throttle), ==,
      AUTH_THROTTLE_MAX_ADDRESSES);
  g_assert_true (auth_throttle_locked (throttle, "first", now_us));

  /* "first" failed again: "second" is now the oldest. */
  auth_throttle_failed (throttle, "first", now_us);
  auth_throttle_failed (throttle, "one more", now_us);
  g_assert_cmpuint (auth_throttle_size (throttle), ==,
      AUTH_THROTTLE_MAX_ADDRESSES);
  g_assert_true (auth_throttle_locked (throttle, "first", now_us));
  g_assert_false (auth_throttle_locked (throttle, "second", now_us));
  auth_throttle_free (throttle);
}

typedef struct
{
  AuthThrottle *throttle;
  guint index;
} Worker;

static gpointer
fail_from_thread (gpointer data)
{
  Worker *worker = data;
  gchar *address = g_strdup_printf ("198.51.100.%u", worker->index);

  for (guint i = 0; i < 1000; i++) {
    auth_throttle_failed (worker->throttle, address, START_US + i);
    auth_throttle_locked (worker->throttle, "198.51.100.0", START_US + i);
  }
  g_free (address);
  return NULL;
}

/* Any thread: under AddressSanitizer, a race on the table shows. */
static void
test_threads (void)
{
  AuthThrottle *throttle = auth_throttle_new ();
  Worker workers[4];
  GThread *threads[G_N_ELEMENTS (workers)];

  for (guint i = 0; i < G_N_ELEMENTS (workers); i++) {
    workers[i] = (Worker) {
    .throttle = throttle,.index = i};
    threads[i] = g_thread_new ("failing", fail_from_thread, &workers[i]);
  }
  for (guint i = 0; i < G_N_ELEMENTS (workers); i++)
    g_thread_join (threads[i]);
  g_assert_cmpuint (auth_throttle_size (throttle), ==, G_N_ELEMENTS (workers));
  g_assert_true (auth_throttle_locked (throttle, "198.51.100.0", START_US));
  auth_throttle_free (throttle);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/auth-throttle/burst", test_burst);
  g_test_add_func ("/auth-throttle/refill", test_refill);
  g_test_add_func ("/auth-throttle/no-debt", test_no_debt);
  g_test_add_func ("/auth-throttle/full-buckets-forgotten",
      test_full_buckets_forgotten);
  g_test_add_func ("/auth-throttle/table-cap", test_table_cap);
  g_test_add_func ("/auth-throttle/threads", test_threads);
  return g_test_run ();
}
