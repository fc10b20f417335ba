#!/bin/sh
# Runs the unit test programs given (make check), each in TAP, and ends with
# the line "check: N passed, N failed". Exits 1 when a test
# failed or a program did not exit 0 (an abort, a sanitizer report).
#
# The sanitizers stop at the first error; GLib's criticals and warnings are
# fatal under g_test already.
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# Leaks are reported at exit, but for GLib's own (lsan.supp), which are
# told by a whole stack: libraries without frame pointers need the slow
# unwinder.
LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$(dirname "$0")/lsan.supp:fast_unwind_on_malloc=0:print_suppressions=0}
# GLib 2.74's slice allocator would hide GstBuffers and the like from both.
G_SLICE=always-malloc
G_DEBUG=gc-friendly
export ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS G_SLICE G_DEBUG

passed=0
failed=0
broken=""
for program in "$@"; do
  log="$program.log"
  echo "# $program"
  "$program" --tap >"$log" 2>&1
  code=$?
  cat "$log"
  passed=$((passed + $(grep -c '^ok ' "$log")))
  failed=$((failed + $(grep -c '^not ok ' "$log")))
  if [ "$code" -ne 0 ]; then
    # A crash or a failed g_assert ends the program before its "not ok".
    grep -q '^not ok ' "$log" || failed=$((failed + 1))
    broken="$broken ${program##*/}(exit $code)"
  fi
done
echo "# check: $# programs"
echo "check: $passed passed, $failed failed"
if [ -n "$broken" ]; then
  echo "check: failing programs:$broken"
  exit 1
fi
